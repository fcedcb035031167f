import { invalidParam } from '../../core/index.js';

/** Every window must hold exactly `windowSize` closes (the model's input shape). */
export function checkWindows(windows: readonly ArrayLike<number>[], windowSize: number): void {
  windows.forEach((w, i) => {
    if (w.length !== windowSize) {
      throw invalidParam(
        `Window ${i} has ${w.length} closes; this model takes windows of exactly ${windowSize}.`,
      );
    }
  });
}
