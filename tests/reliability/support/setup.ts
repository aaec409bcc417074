// IndexedDB for the node "phone" (tests/reliability/support/phone.ts), before Dexie loads.
import 'fake-indexeddb/auto';
