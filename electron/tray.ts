// The tray (menu bar on macOS): the app keeps proxying with its window closed, so this is where the
// user sees it is alive, what today cost, and where Quit is.
import { Menu, Tray, nativeImage } from 'electron';
import { readFileSync } from 'node:fs';
import { fetchTraySummary, trayLabels, type ApiSession, type TraySummary } from './tray-summary.ts';

export interface TrayOptions {
  iconPath: string;
  session(): ApiSession | null;
  open(): void;
  quit(): void;
}

export interface AppTray {
  refresh(): Promise<void>;
  destroy(): void;
}

const REFRESH_MS = 60_000;
const UNKNOWN: TraySummary = { spentTodayNanos: null, projectedMonthlySavingsNanos: null };

export function createTray(options: TrayOptions): AppTray {
  // The 32 px icon as a 16-point image at 2x: crisp on HiDPI, the right size in a macOS menu bar.
  const tray = new Tray(nativeImage.createFromBuffer(readFileSync(options.iconPath), { scaleFactor: 2 }));
  const render = (summary: TraySummary): void => {
    if (tray.isDestroyed()) return;
    const labels = trayLabels(summary);
    tray.setToolTip(labels.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: labels.spent, enabled: false },
        { label: labels.savings, enabled: false },
        { type: 'separator' },
        { label: 'Open Netra Apex', click: options.open },
        { label: 'Quit', click: options.quit },
      ]),
    );
  };
  const refresh = async (): Promise<void> => {
    const session = options.session();
    render(session ? await fetchTraySummary(session) : UNKNOWN);
  };
  // Windows and Linux users expect a click on the icon to bring the window back.
  tray.on('click', options.open);
  render(UNKNOWN);
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  return {
    refresh,
    destroy() {
      clearInterval(timer);
      tray.destroy();
    },
  };
}
