/**
 * The crash points the scenarios use (GATELOG_FAULTS, src/server/faults.ts) are off unless the
 * variable is set, accept only known names, and fire on the planned batch only.
 */
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/server/config';
import { Faults, parseFaults } from '../../../src/server/faults';

describe('GATELOG_FAULTS', () => {
  it('is off by default: a real server has no crash point', () => {
    expect(loadConfig({}).faults).toEqual([]);
    expect(loadConfig({ GATELOG_FAULTS: '' }).faults).toEqual([]);
  });

  it('takes known names, with the batch to fire at', () => {
    expect(parseFaults('kill-before-commit@3, kill-after-commit')).toEqual([
      { name: 'kill-before-commit', atBatch: 3 },
      { name: 'kill-after-commit', atBatch: 1 },
    ]);
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['kill-now', 'kill-after-commit@0', 'kill-after-commit@x', 'rm -rf']) {
      expect(() => loadConfig({ GATELOG_FAULTS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ GATELOG_FAULTS: bad }), bad).toThrow(/GATELOG_FAULTS/);
    }
  });

  it('fires on the planned pass only, and not for a crash point that is not armed', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    try {
      const faults = new Faults(parseFaults('kill-after-commit@2'));
      faults.reach('kill-before-commit');
      faults.reach('kill-after-commit');
      expect(kill).not.toHaveBeenCalled();
      faults.reach('kill-after-commit');
      expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
      faults.reach('kill-after-commit');
      expect(kill).toHaveBeenCalledTimes(1);
    } finally {
      kill.mockRestore();
    }
  });
});
