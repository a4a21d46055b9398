/** Runs `run` once `delayMs` has passed without another call for the same key (the key's timer starts over). */
export function debounce(timers: Map<string, NodeJS.Timeout>, key: string, delayMs: number, run: () => void): void {
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      run();
    }, delayMs),
  );
}
