import { computed, reactive, type Ref } from 'vue'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import { checkTrainForm, formFromConfig, type DatasetShape, type TrainForm } from '../lib/train-form'

/** The hyperparameter form: what is typed, the config it makes, and a message per bad field. */
export function useTrainForm(dataset: Ref<DatasetShape | null>, initial: TrainConfig = BOOK_TRAINING) {
  const form = reactive<TrainForm>(formFromConfig(initial))
  const checked = computed(() => checkTrainForm(form, dataset.value))
  return {
    form,
    config: computed(() => checked.value.config),
    errors: computed(() => checked.value.errors),
    reset(to: TrainConfig = BOOK_TRAINING) { Object.assign(form, formFromConfig(to)) },
  }
}

export type TrainFormState = ReturnType<typeof useTrainForm>
