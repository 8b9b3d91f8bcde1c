import { describe, expect, it } from 'vitest'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import { checkTrainForm, formFieldOf, formFromConfig, parseHidden } from '../../../renderer/src/lib/train-form'

const MNIST = { inputSize: 784, classes: 10, trainCount: 60000 }

describe('checkTrainForm', () => {
  it('turns the book defaults back into the book config', () => {
    const { config, errors } = checkTrainForm(formFromConfig(BOOK_TRAINING), MNIST)
    expect(errors).toEqual({})
    expect(config).toEqual(BOOK_TRAINING)
  })

  it('takes input size and classes from the dataset', () => {
    const { config } = checkTrainForm(formFromConfig(BOOK_TRAINING), { inputSize: 4, classes: 3, trainCount: 100 })
    expect(config?.network.inputSize).toBe(4)
    expect(config?.network.outputSize).toBe(3)
  })

  it('reports the validator message on the learning-rate field', () => {
    const { config, errors } = checkTrainForm({ ...formFromConfig(BOOK_TRAINING), lr: '-1' }, MNIST)
    expect(config).toBeNull()
    expect(errors.lr).toMatch(/must be a number > 0/)
    expect(Object.keys(errors)).toEqual(['lr'])
  })

  it('says when a field is not a number', () => {
    const { errors } = checkTrainForm({ ...formFromConfig(BOOK_TRAINING), iters: '12x' }, MNIST)
    expect(errors.iters).toBe('“12x” is not a number')
  })

  it('names the hidden layer that is out of range', () => {
    const { errors } = checkTrainForm({ ...formFromConfig(BOOK_TRAINING), hidden: '100, 0' }, MNIST)
    expect(errors.hidden).toMatch(/^layer 2 must be a whole number from 1/)
  })

  it('accepts several hidden layers and none', () => {
    expect(checkTrainForm({ ...formFromConfig(BOOK_TRAINING), hidden: '100 50' }, MNIST).config?.network.hiddenSizes).toEqual([100, 50])
    expect(checkTrainForm({ ...formFromConfig(BOOK_TRAINING), hidden: '' }, MNIST).config?.network.hiddenSizes).toEqual([])
  })

  it('refuses a batch larger than the training set', () => {
    const { errors } = checkTrainForm({ ...formFromConfig(BOOK_TRAINING), batchSize: '20' }, { inputSize: 4, classes: 3, trainCount: 10 })
    expect(errors.batchSize).toBe('must be at most the 10 training images')
  })

  it('reports a missing dataset', () => {
    expect(checkTrainForm(formFromConfig(BOOK_TRAINING), null).errors.dataset).toBe('no dataset loaded')
  })

  it('uses the typed evaluation sample count unless “all” is chosen', () => {
    const form = { ...formFromConfig(BOOK_TRAINING), evalAll: false, evalSamples: '1000' }
    expect(checkTrainForm(form, MNIST).config?.evalSamples).toBe(1000)
    expect(checkTrainForm({ ...form, evalSamples: '0' }, MNIST).errors.evalSamples).toMatch(/at least 1/)
  })

  it('checks the weight std only for the Gaussian init', () => {
    const form = { ...formFromConfig(BOOK_TRAINING), initStd: 'abc' }
    expect(checkTrainForm(form, MNIST).errors.initStd).toMatch(/not a number/)
    expect(checkTrainForm({ ...form, init: 'he' }, MNIST).config?.network.weightInit).toEqual({ kind: 'he' })
  })
})

describe('formFieldOf', () => {
  it('maps validator paths to form fields', () => {
    expect(formFieldOf('network.hiddenSizes[3]')).toBe('hidden')
    expect(formFieldOf('network.weightInit.std')).toBe('initStd')
    expect(formFieldOf('network.weightInit')).toBe('init')
    expect(formFieldOf('network.inputSize')).toBe('dataset')
    expect(formFieldOf('batchSize')).toBe('batchSize')
  })
})

describe('parseHidden', () => {
  it('rejects a size that is not a number', () => {
    expect(parseHidden('50, x')).toMatch(/“x” is not a layer size/)
  })
})
