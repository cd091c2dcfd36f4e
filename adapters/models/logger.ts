/** The slice of a pino-style logger the model adapters use. */
export interface ModelLogger {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

export const silentLogger: ModelLogger = {
  info: () => {},
  warn: () => {},
};
