/** `monitor.yaml`: what a monitor watches, its checks, actions and schedule. */
export {
  DEFAULT_RETRAIN_COOLDOWN_MS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type MonitorConfig,
  type MonitorWindow,
  type RetrainConfig,
  type WebhookConfig,
} from './monitor-config.js';
export {
  loadMonitorConfig,
  MONITOR_CONFIG_FILE,
  parseMonitorConfig,
} from './parse-monitor-config.js';
