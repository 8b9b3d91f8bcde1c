import { zeros, type Matrix } from './matrix'

/**
 * The book's numerical_gradient: central differences (f(x+h) − f(x−h)) / 2h for every
 * element of x, each perturbed in place and restored. f is evaluated 2·size times: slow, for checking.
 */
export function numericalGradient(f: (x: Matrix) => number, x: Matrix, h = 1e-4): Matrix {
  const grad = zeros(x.rows, x.cols)
  for (let i = 0; i < grad.data.length; i++) {
    // x.data is read afresh each time: f may move a WebAssembly layer's W onto a grown memory
    const tmp = x.data[i]
    x.data[i] = tmp + h
    const fxh1 = f(x)
    x.data[i] = tmp - h
    const fxh2 = f(x)
    grad.data[i] = (fxh1 - fxh2) / (2 * h)
    x.data[i] = tmp
  }
  return grad
}
