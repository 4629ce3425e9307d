// What an import remembers across batches (orders it wrote, customers and products it found),
// bounded so that memory stays flat for any file. Two generations: when the newer one is full it
// becomes the older one and the oldest entries go all at once. Deleting the first entry of a Map
// one at a time would also bound it, but each such delete leaves a hole at the front of the Map's
// table that the next delete has to step over, which turns a long import quadratic.
export class BoundedMemo<V> {
  private newer = new Map<string, V>();
  private older = new Map<string, V>();

  /** Remembers at least the last `limit / 2` entries set, and never more than `limit`. */
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.newer.get(key) ?? this.older.get(key);
  }

  has(key: string): boolean {
    return this.newer.has(key) || this.older.has(key);
  }

  set(key: string, value: V): void {
    // A key cut from the file's text (or built from such a piece) would keep that whole text alive
    // for as long as it is remembered; a copy of its own keeps only itself.
    this.newer.set((" " + key).slice(1), value);
    if (this.newer.size >= Math.max(1, Math.floor(this.limit / 2))) {
      this.older = this.newer;
      this.newer = new Map();
    }
  }

  get size(): number {
    return this.newer.size + this.older.size;
  }
}
