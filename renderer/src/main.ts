import { createApp } from 'vue'
import App from './App.vue'
import { getApi } from './api/get-api'
import type { BackpropApi } from '../../shared/ipc'
import { errorInfo } from '../../shared/error-info'
import { currentLocale, i18n, t } from './i18n'

document.documentElement.lang = currentLocale()

let api: BackpropApi | null = null
try {
  api = getApi()
} catch (error) {
  // Without a back end there is nothing to show but why.
  const e = errorInfo(error)
  const root = document.getElementById('app')
  if (root) {
    const box = document.createElement('div')
    box.className = 'error-box fatal'
    box.style.margin = '40px'
    const title = document.createElement('strong')
    title.textContent = e.name
    box.append(title, document.createTextNode(t('app.noBackend', { message: e.message })))
    root.append(box)
  }
}
if (api) createApp(App, { api }).use(i18n).mount('#app')
