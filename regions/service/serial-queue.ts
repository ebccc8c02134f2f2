/**
 * Runs async tasks one at a time, in arrival order. A region assigns log sequence numbers
 * (head + 1) inside it, so two concurrent writes never race for the same seq.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
