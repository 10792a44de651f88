import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpillAppender, type SealedSpillInfo } from '../../analytics/writer/spill-appender.ts';
import { WriterNotifier } from '../../analytics/writer/writer-support.ts';
import { makeEvents } from './fixtures/events.ts';
import { freshDir } from './helpers.ts';

const lineCount = (file: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '').length;

describe('SpillAppender', () => {
  it('appends batches, then seals them into one file and reports it at the rename', async () => {
    const dir = freshDir();
    const spill = new SpillAppender(dir, (err) => {
      throw err;
    });
    spill.append(4, makeEvents(10), (err) => {
      throw err;
    });
    spill.append(5, makeEvents(5, 'b'), (err) => {
      throw err;
    });
    expect(spill.minSeq).toBe(4);
    const renamed: SealedSpillInfo[] = [];
    const [first, second] = await Promise.all([
      spill.seal((info) => renamed.push(info)),
      spill.seal((info) => renamed.push(info)),
    ]);
    expect(second).toBeNull(); // the concurrent seal found the work already done
    expect(renamed).toEqual([first]);
    expect(first).toMatchObject({ minSeq: 4, events: 15 });
    expect(lineCount(first!.file)).toBe(15);
    expect(existsSync(join(dir, 'active.jsonl'))).toBe(false);
    expect(spill.minSeq).toBe(Number.POSITIVE_INFINITY);
    expect(await spill.seal(() => undefined)).toBeNull();
  });

  it('hands a batch back when the disk refuses it', async () => {
    const dir = freshDir();
    const notADirectory = join(dir, 'file');
    writeFileSync(notADirectory, '');
    const errors: Error[] = [];
    const spill = new SpillAppender(notADirectory, (err) => errors.push(err));
    const handedBack = await new Promise<Error>((resolve) => spill.append(1, makeEvents(3), resolve));
    expect(handedBack).toBeInstanceOf(Error);
    expect(errors.length).toBeGreaterThan(0);
    expect(await spill.seal(() => undefined)).toBeNull();
    expect(spill.hasData).toBe(false);
  });

  it('leaves the active file in place at an unsealed close and can persist synchronously', async () => {
    const dir = freshDir();
    const spill = new SpillAppender(dir, () => undefined);
    spill.append(1, makeEvents(2), () => undefined);
    await spill.closeUnsealed();
    spill.persistNow(makeEvents(3, 'late'));
    expect(readdirSync(dir)).toEqual(['active.jsonl']);
    expect(lineCount(join(dir, 'active.jsonl'))).toBe(5);
  });
});

describe('WriterNotifier', () => {
  it('never lets a throwing callback escape', () => {
    const reported: Error[] = [];
    const notifier = new WriterNotifier(
      (err) => reported.push(err),
      () => {
        throw new Error('listener broke');
      },
    );
    expect(() => notifier.emit({ type: 'worker-exit', code: 1 })).not.toThrow();
    expect(reported.map((err) => err.message)).toEqual(['listener broke']);
    const throwingReporter = new WriterNotifier(() => {
      throw new Error('logger broke');
    });
    expect(() => throwingReporter.report('plain string')).not.toThrow();
  });
});
