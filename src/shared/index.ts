export * from './rules';
export * from './gatelog';
export * from './api';
