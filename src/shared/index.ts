export * from './rules';
export * from './gate-rules';
export * from './gatelog';
export * from './api';
export * from './record-words';
export * from './urls';
