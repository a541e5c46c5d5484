/**
 * Group commit's queue. Per key (a chat), items that arrive while a group is being handled
 * wait; when it is done, the items that arrived meanwhile form the next group, in arrival
 * order: at most `maxGroup` of them, and an item that must go `alone` forms a group by itself.
 * An idle key (no group being handled, nothing waiting) handles its first item at once, alone.
 * Different keys are handled concurrently.
 * `handle` settles each item of its group itself and must not reject.
 */
export class GroupQueue<T> {
  private readonly waiting = new Map<string, T[]>();

  constructor(
    private readonly maxGroup: number,
    private readonly alone: (item: T) => boolean,
    private readonly handle: (key: string, group: T[]) => Promise<void>,
  ) {}

  /** Queues `item` under `key`; it is handled with the next group of that key. */
  add(key: string, item: T): void {
    const queue = this.waiting.get(key);
    if (queue) {
      queue.push(item);
      return;
    }
    this.waiting.set(key, [item]);
    void this.drain(key);
  }

  private async drain(key: string): Promise<void> {
    const queue = this.waiting.get(key) ?? [];
    while (queue.length > 0) await this.handle(key, this.nextGroup(queue));
    this.waiting.delete(key);
  }

  private nextGroup(queue: T[]): T[] {
    if (this.alone(queue[0])) return queue.splice(0, 1);
    let size = 1;
    while (size < Math.min(this.maxGroup, queue.length) && !this.alone(queue[size])) size++;
    return queue.splice(0, size);
  }
}
