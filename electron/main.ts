// Placeholder: the desktop shell (window, utilityProcess server, keychain, tray) comes next.
import { app } from 'electron';

void app.whenReady();
