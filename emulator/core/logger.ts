/** Where the emulator writes what goes wrong in the background (the server's logger, once it exists). */
export interface Logger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
