import { describe, expect, it } from 'vitest'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import { checkTrainForm, formFromConfig } from '../../../renderer/src/lib/train-form'

const MNIST = { inputSize: 784, classes: 10, trainCount: 60000 }
const book = () => formFromConfig(BOOK_TRAINING)

describe('the form\'s chapter 6 fields', () => {
  it('defaults to the book: SGD, no weight decay, no dropout, no Batch Normalization', () => {
    expect(book()).toMatchObject({ optimizer: 'sgd', weightDecay: '0', dropout: '0', batchnorm: false, momentum: '0.9', beta1: '0.9', beta2: '0.999' })
  })

  it('builds each optimiser with only its own hyperparameters', () => {
    expect(checkTrainForm({ ...book(), optimizer: 'adam', beta1: '0.8' }, MNIST).config?.optimizer).toEqual({ kind: 'adam', beta1: 0.8, beta2: 0.999 })
    expect(checkTrainForm({ ...book(), optimizer: 'nesterov', momentum: '0.5', beta1: 'x' }, MNIST).config?.optimizer).toEqual({ kind: 'nesterov', momentum: 0.5 })
    expect(checkTrainForm({ ...book(), optimizer: 'rmsprop' }, MNIST).config?.optimizer).toEqual({ kind: 'rmsprop', decayRate: 0.99 })
    const c = checkTrainForm({ ...book(), weightDecay: '0.01', dropout: '0.5', batchnorm: true }, MNIST).config
    expect(c).toMatchObject({ weightDecay: 0.01, dropout: 0.5, network: { batchnorm: true } })
  })

  it('puts each rule\'s message on its own field', () => {
    expect(checkTrainForm({ ...book(), optimizer: 'momentum', momentum: '1' }, MNIST).errors.momentum).toBe('must be a number ≥ 0 and < 1, got 1')
    expect(checkTrainForm({ ...book(), optimizer: 'adam', beta2: 'abc' }, MNIST).errors.beta2).toBe('“abc” is not a number')
    expect(checkTrainForm({ ...book(), dropout: '1' }, MNIST).errors.dropout).toBe('must be a number ≥ 0 and < 1, got 1')
    expect(checkTrainForm({ ...book(), weightDecay: '-0.1' }, MNIST).errors.weightDecay).toBe('must be a number from 0 to 10, got -0.1')
  })

  it('round-trips a config through the form', () => {
    const config = { ...BOOK_TRAINING, optimizer: { kind: 'momentum', momentum: 0.8 } as const, weightDecay: 0.001, dropout: 0.2, network: { ...BOOK_TRAINING.network, batchnorm: true } }
    expect(checkTrainForm(formFromConfig(config), MNIST).config).toEqual(config)
  })
})
