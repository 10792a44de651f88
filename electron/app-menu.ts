// A minimal application menu. It is not decoration: on macOS, copy, paste and select-all shortcuts
// only work in text fields when an Edit menu with those roles exists.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(platform: NodeJS.Platform): void {
  const template: MenuItemConstructorOptions[] = [
    platform === 'darwin' ? { role: 'appMenu' } : { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
