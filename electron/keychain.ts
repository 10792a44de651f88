// The key store over Electron safeStorage (Keychain on macOS, DPAPI on Windows, libsecret or KWallet
// on Linux). The async API is the one Electron 45 keeps; the sync isEncryptionAvailable is deprecated.
import { safeStorage } from 'electron';
import { join } from 'node:path';
import { createKeyStore, osEncryptionUsable, type Cipher, type KeyStore } from './key-store.ts';

const safeStorageCipher: Cipher = {
  async isAvailable() {
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
    return osEncryptionUsable(process.platform, backend, await safeStorage.isAsyncEncryptionAvailable());
  },
  encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
  decrypt: async (encrypted) => (await safeStorage.decryptStringAsync(encrypted)).result,
};

export function openKeychain(userDataDir: string): KeyStore {
  return createKeyStore({ file: join(userDataDir, 'keys.json'), cipher: safeStorageCipher });
}
