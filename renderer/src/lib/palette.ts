import type { Rgb } from './digit-pixels'

export type ColorScheme = 'light' | 'dark'

/** The colours canvases and charts draw with; styles/theme.css holds the same values as CSS variables. */
export interface Palette {
  text: string
  muted: string
  grid: string
  axis: string
  surface: string
  loss: string
  lossRaw: string
  train: string
  test: string
  ink: Rgb
  paper: Rgb
}

export const PALETTES: Record<ColorScheme, Palette> = {
  light: {
    text: '#1f2430', muted: '#687083', grid: '#eceef3', axis: '#c9ced8', surface: '#ffffff',
    loss: '#4c6ef5', lossRaw: 'rgba(76, 110, 245, 0.22)', train: '#0ca678', test: '#e8590c',
    ink: [31, 36, 48], paper: [248, 249, 251],
  },
  dark: {
    text: '#e4e7ee', muted: '#98a1b3', grid: '#262b35', axis: '#3b4250', surface: '#1b1e25',
    loss: '#8c9eff', lossRaw: 'rgba(140, 158, 255, 0.25)', train: '#38d9a9', test: '#ffa94d',
    ink: [236, 239, 245], paper: [20, 22, 28],
  },
}
