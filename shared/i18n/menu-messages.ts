/** The Electron menu's labels in English and Japanese; the main process picks one by app.getLocale(). */
export interface MenuMessages {
  file: string
  edit: string
  view: string
  window: string
  training: string
  help: string
  openDataset: string
  openModel: string
  saveModel: string
  quit: string
  trainToggle: string
  trainStep: string
  trainStop: string
  gradcheck: string
  nextTab: string
  prevTab: string
  shortcuts: string
}

const en: MenuMessages = {
  file: '&File',
  edit: '&Edit',
  view: '&View',
  window: '&Window',
  training: '&Training',
  help: '&Help',
  openDataset: 'Open Dataset Folder…',
  openModel: 'Open Model…',
  saveModel: 'Save Model…',
  quit: 'Quit',
  trainToggle: 'Start / Pause / Resume',
  trainStep: 'Step One Iteration',
  trainStop: 'Stop',
  gradcheck: 'Run Gradient Check',
  nextTab: 'Next Tab',
  prevTab: 'Previous Tab',
  shortcuts: 'Keyboard Shortcuts',
}

const ja: MenuMessages = {
  file: 'ファイル(&F)',
  edit: '編集(&E)',
  view: '表示(&V)',
  window: 'ウィンドウ(&W)',
  training: '学習(&T)',
  help: 'ヘルプ(&H)',
  openDataset: 'データセットのフォルダを開く…',
  openModel: 'モデルを開く…',
  saveModel: 'モデルを保存…',
  quit: '終了',
  trainToggle: '開始 / 一時停止 / 再開',
  trainStep: '1イテレーション進める',
  trainStop: '停止',
  gradcheck: '勾配確認を実行',
  nextTab: '次のタブ',
  prevTab: '前のタブ',
  shortcuts: 'キーボードショートカット',
}

export const MENU_MESSAGES = { en, ja } as const

/** "ja", "ja-JP" → Japanese; anything else → English. */
export function menuMessages(locale: string): MenuMessages {
  return locale.toLowerCase().startsWith('ja') ? ja : en
}
