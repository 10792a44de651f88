import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  FEATURE_NAMES,
  type Features,
} from '../../../../proxy/optimizers/routing/classifier.ts';
import { ClassifierSaver, loadClassifier } from '../../../../proxy/optimizers/routing/classifier-file.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apex-classifier-'));
  file = join(dir, 'state', 'classifier.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hardRequest = Object.fromEntries(FEATURE_NAMES.map((name) => [name, 1])) as unknown as Features;

describe('classifier weights across restarts', () => {
  it('starts from the default weights when nothing was saved yet', () => {
    const { classifier, problem } = loadClassifier(file);
    expect(problem).toBeNull();
    expect(classifier.weights).toEqual(DEFAULT_WEIGHTS);
  });

  it('saves what cascades taught it and restores exactly that after a restart', async () => {
    const { classifier } = loadClassifier(file);
    const saver = new ClassifierSaver(file, classifier);
    for (let i = 0; i < 25; i++) classifier.update(hardRequest, true);
    await saver.close();
    const restored = loadClassifier(file).classifier;
    expect(restored.updates).toBe(25);
    expect(restored.weights).toEqual(classifier.weights);
    expect(restored.weights).not.toEqual(DEFAULT_WEIGHTS);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('writes nothing while the weights have not changed', async () => {
    const saver = new ClassifierSaver(file, loadClassifier(file).classifier);
    await saver.save();
    expect(existsSync(file)).toBe(false);
  });

  it('saves on its interval, not only on close', async () => {
    const { classifier } = loadClassifier(file);
    const saver = new ClassifierSaver(file, classifier);
    saver.start(5);
    classifier.update(hardRequest, false);
    await expect.poll(() => existsSync(file)).toBe(true);
    await saver.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).updates).toBe(1);
  });

  it('starts from defaults with the reason when the file is unreadable', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1, "weights": {');
    const { classifier, problem } = loadClassifier(broken);
    expect(problem).toMatch(/unreadable.*starting from defaults/);
    expect(classifier.weights).toEqual(DEFAULT_WEIGHTS);
  });
});
