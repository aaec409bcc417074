import type { Catalog } from '../i18n/i18n';

/** Words of the pass and watchlist pieces on the checkpoint screen. */
export const messages: Catalog = {
  'zh-CN': {
    scan: '扫码',
    scanning: '正在打开相机…',
    watchlistAsOf: '隔离名单更新于 {time}',
    watchlistNever: '尚未收到隔离名单，联网后会自动更新',
    watchlistCount: ' · 名单 {count} 人',
  },
  en: {
    scan: 'Scan pass',
    scanning: 'Opening the camera…',
    watchlistAsOf: 'Watchlist as of {time}',
    watchlistNever: 'No watchlist yet — it comes with the next sync',
    watchlistCount: ' · {count} on the list',
  },
};
