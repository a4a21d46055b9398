/**
 * Runs the requests of one section load together. The first failure aborts the others (no sibling keeps
 * paging after the section has failed), and the whole load has a deadline besides each request's timeout.
 */
export async function allOrAbort<T extends readonly unknown[]>(signal: AbortSignal, deadlineMs: number, work: { [K in keyof T]: (signal: AbortSignal) => Promise<T[K]> }): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`the section did not load within ${deadlineMs / 1000} s`, 'TimeoutError'));
  }, deadlineMs);
  try {
    return (await Promise.all(
      work.map((run) =>
        run(controller.signal).catch((error: unknown) => {
          controller.abort(error);
          throw error;
        }),
      ),
    ).catch((error: unknown) => {
      if (timedOut) throw new Error(`did not load within ${deadlineMs / 1000} s (the section's deadline; each request has its own timeout too)`, { cause: error });
      throw error;
    })) as unknown as T;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** A section's whole first load may take this long (its requests run side by side, each with its own timeout). */
export const SECTION_LOAD_DEADLINE_MS = 120_000;
