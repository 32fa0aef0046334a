// IndexedDB for Dexie in unit tests; the real one lives in the extension origin.
import 'fake-indexeddb/auto';
