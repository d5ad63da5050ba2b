/** A config file or option the tenant cannot start with; the message says what and where. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
