import type { BrowserWindow, Dialog } from 'electron'
import { describe, expect, it } from 'vitest'
import { fileDialogRequest, nativeFileChooser } from '../../../electron/main/file-dialogs'

describe('file dialogs', () => {
  it('asks for a folder for a dataset and a .json file for a model', () => {
    expect(fileDialogRequest('open-dataset')).toMatchObject({ type: 'open', options: { properties: ['openDirectory'] } })
    expect(fileDialogRequest('open-model', '/m')).toMatchObject({
      type: 'open', options: { defaultPath: '/m', properties: ['openFile'], filters: [{ extensions: ['json'] }] },
    })
    expect(fileDialogRequest('save-model', '/models/run.json')).toMatchObject({
      type: 'save', options: { defaultPath: '/models/run.json', filters: [{ extensions: ['json'] }] },
    })
  })

  it('saves exports as .npz or .onnx and imports an .npz', () => {
    expect(fileDialogRequest('export-npz', '/models/run.npz')).toMatchObject({
      type: 'save', options: { defaultPath: '/models/run.npz', filters: [{ extensions: ['npz'] }], properties: ['createDirectory', 'showOverwriteConfirmation'] },
    })
    expect(fileDialogRequest('export-onnx')).toMatchObject({ type: 'save', options: { filters: [{ extensions: ['onnx'] }] } })
    expect(fileDialogRequest('import-npz', '/m')).toMatchObject({ type: 'open', options: { properties: ['openFile'], filters: [{ extensions: ['npz'] }] } })
  })

  it('opens the dialogs over the window and returns the path, or null when cancelled', async () => {
    const win = { isDestroyed: () => false } as unknown as BrowserWindow
    const parents: unknown[] = []
    let cancel = false
    const dialog = {
      showOpenDialog: async (parent: unknown) => {
        parents.push(parent)
        return { canceled: cancel, filePaths: cancel ? [] : ['/data/mnist'] }
      },
      showSaveDialog: async (parent: unknown) => {
        parents.push(parent)
        return { canceled: cancel, filePath: cancel ? '' : '/models/a.json' }
      },
    } as unknown as Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>
    const choose = nativeFileChooser(dialog, () => win)
    expect(await choose('open-dataset')).toBe('/data/mnist')
    expect(await choose('save-model', '/models/x.json')).toBe('/models/a.json')
    cancel = true
    expect(await choose('open-model')).toBeNull()
    expect(await choose('save-model')).toBeNull()
    expect(parents).toEqual([win, win, win, win])
  })
})
