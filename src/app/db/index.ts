export * from './db';
export * from './settings-repo';
export * from './records-repo';
export * from './shifts-repo';
export * from './people-repo';
export * from './time';
export { uuidv7, uuidv7Time } from './uuid';
export * from './storage';
export * from './logbook-repo';
