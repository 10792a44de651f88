import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ComplexityClassifier } from './classifier.ts';

/**
 * What the classifier learned from this installation's cascades, kept across restarts. A missing
 * file starts from the default weights; an unreadable one does too, with the reason, because a
 * routing prior is not worth refusing to start over.
 */
export function loadClassifier(file: string): { classifier: ComplexityClassifier; problem: string | null } {
  if (!existsSync(file)) return { classifier: new ComplexityClassifier(), problem: null };
  try {
    return {
      classifier: ComplexityClassifier.fromJSON(JSON.parse(readFileSync(file, 'utf8'))),
      problem: null,
    };
  } catch (error) {
    const reason = `classifier weights in ${file} are unreadable (${(error as Error).message}); starting from defaults`;
    return { classifier: new ComplexityClassifier(), problem: reason };
  }
}

/** Writes the weights whenever they changed, at most once per interval and on close. */
export class ClassifierSaver {
  private readonly file: string;
  private readonly classifier: ComplexityClassifier;
  private savedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(file: string, classifier: ComplexityClassifier) {
    this.file = file;
    this.classifier = classifier;
    this.savedAt = classifier.updates;
  }

  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => void this.save(), intervalMs);
    this.timer.unref();
  }

  /** Write-then-rename, so a crash mid-write leaves the previous weights intact. */
  save(): Promise<void> {
    const updates = this.classifier.updates;
    if (updates === this.savedAt) return this.writing;
    this.savedAt = updates;
    const text = JSON.stringify(this.classifier.toJSON());
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(`${this.file}.tmp`, text);
      await rename(`${this.file}.tmp`, this.file);
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.save();
  }
}
