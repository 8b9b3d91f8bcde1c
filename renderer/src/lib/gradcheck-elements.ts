import type { ElementCheck, ParamCheck } from '../../../shared/training-events'
import { t } from '../i18n'

export interface ListedElement extends ElementCheck {
  param: string
  /** Where it is: W1[412, 7], b1[7]; for W1 over images also the unit and pixel. */
  where: string
  pixel: string | null
}

/** Row-major index → "[i, j]" for a matrix, "[j]" for a vector; pixel (row, col) of unit j when W1's rows are an image. */
export function locate(p: Pick<ParamCheck, 'name' | 'shape'>, index: number, image?: readonly [number, number]): { where: string; pixel: string | null } {
  if (p.shape.length < 2) return { where: `${p.name}[${index}]`, pixel: null }
  const cols = p.shape[1], i = Math.floor(index / cols), j = index % cols
  const isImage = !!image && p.name === 'W1' && image[0] * image[1] === p.shape[0]
  return {
    where: `${p.name}[${i}, ${j}]`,
    pixel: isImage ? t('extra.unitPixel', { unit: j, row: Math.floor(i / image[1]), col: i % image[1] }) : null,
  }
}

const listed = (p: ParamCheck, e: ElementCheck, image?: readonly [number, number]): ListedElement => ({ ...e, param: p.name, ...locate(p, e.index, image) })

/** The `count` elements of largest |Δ| over all parameters, largest first. */
export function worstElements(params: readonly ParamCheck[], count: number, image?: readonly [number, number]): ListedElement[] {
  return params.flatMap((p) => (p.worst ?? []).map((e) => listed(p, e, image)))
    .sort((a, b) => b.absDiff - a.absDiff)
    .slice(0, count)
}

/** The kinks listed by the check, parameter by parameter. */
export function kinkElements(params: readonly ParamCheck[], image?: readonly [number, number]): ListedElement[] {
  return params.flatMap((p) => (p.kinkElements ?? []).map((e) => listed(p, e, image)))
}
