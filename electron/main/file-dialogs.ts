/**
 * The Backend's chooseFile in Electron: native open/save dialogs, modal to the main window.
 * Electron's `dialog` is passed in, so this module loads without the Electron binary.
 */
import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { ChooseFile, FileKind } from '../services/backend'

const MODEL_FILTERS = [{ name: 'Backprop Studio model', extensions: ['json'] }]
const NPZ_FILTERS = [{ name: 'NumPy arrays (.npz)', extensions: ['npz'] }]
const ONNX_FILTERS = [{ name: 'ONNX model', extensions: ['onnx'] }]

export type FileDialogRequest =
  | { type: 'open'; options: OpenDialogOptions }
  | { type: 'save'; options: SaveDialogOptions }

export function fileDialogRequest(kind: FileKind, suggestedPath?: string): FileDialogRequest {
  const defaultPath = suggestedPath
  switch (kind) {
    case 'open-dataset':
      return {
        type: 'open',
        options: {
          title: 'Open Dataset Folder',
          buttonLabel: 'Open Dataset',
          message: 'A folder with the four MNIST-format IDX files (raw or .gz)',
          defaultPath,
          properties: ['openDirectory'],
        },
      }
    case 'open-model':
      return {
        type: 'open',
        options: { title: 'Open Model', defaultPath, filters: MODEL_FILTERS, properties: ['openFile'] },
      }
    case 'save-model':
      return {
        type: 'save',
        options: {
          title: 'Save Model',
          defaultPath,
          filters: MODEL_FILTERS,
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      }
    case 'export-npz':
    case 'export-onnx':
      return {
        type: 'save',
        options: {
          title: kind === 'export-npz' ? 'Export Model as NumPy .npz' : 'Export Model as ONNX',
          defaultPath,
          filters: kind === 'export-npz' ? NPZ_FILTERS : ONNX_FILTERS,
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      }
    case 'export-file': {
      const ext = /\.(\w+)$/.exec(defaultPath ?? '')?.[1] ?? ''
      return {
        type: 'save',
        options: { title: 'Export', defaultPath, filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [], properties: ['createDirectory', 'showOverwriteConfirmation'] },
      }
    }
    case 'import-npz':
      return {
        type: 'open',
        options: { title: 'Import Model from NumPy .npz', defaultPath, filters: NPZ_FILTERS, properties: ['openFile'] },
      }
  }
}

/** A ChooseFile showing `dialog`'s native dialogs over the window `getWindow` returns, if any. */
export function nativeFileChooser(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, getWindow: () => BrowserWindow | null): ChooseFile {
  return async (kind, suggestedPath) => {
    const request = fileDialogRequest(kind, suggestedPath)
    const win = getWindow()
    const parent = win && !win.isDestroyed() ? win : null
    if (request.type === 'open') {
      const result = parent ? await dialog.showOpenDialog(parent, request.options) : await dialog.showOpenDialog(request.options)
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]
    }
    const result = parent ? await dialog.showSaveDialog(parent, request.options) : await dialog.showSaveDialog(request.options)
    return result.canceled || !result.filePath ? null : result.filePath
  }
}
