/**
 * The committee page's lists read again (shown again, a change): the list read last stays until
 * the next answer, and an answer that comes after a later one's is stale and not shown.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useAdminList } from '../../src/app/features/committee/admin-list';

/** A read of the list the test answers when it chooses. */
function reads() {
  const pending: ((items: string[]) => void)[] = [];
  const load = () => new Promise<string[]>((answer) => pending.push(answer));
  return { load, pending };
}

const showAgain = () => {
  for (const state of ['hidden', 'visible']) {
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: state });
    document.dispatchEvent(new Event('visibilitychange'));
  }
};

describe('a committee list read again', () => {
  afterEach(() => {
    Reflect.deleteProperty(document, 'visibilityState');
  });

  it('keeps what it showed until the latest read answers, and drops an older answer', async () => {
    const { load, pending } = reads();
    const onRefused = () => undefined;
    const { result } = renderHook(() => useAdminList(load, onRefused));
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending[0]!(['first']));
    expect(result.current.items).toEqual(['first']);

    act(showAgain);
    await waitFor(() => expect(pending).toHaveLength(2));
    // A change made meanwhile reads the list a third time.
    let refreshed!: Promise<void>;
    act(() => {
      refreshed = result.current.refresh();
    });
    expect(pending).toHaveLength(3);
    expect(result.current.items).toEqual(['first']);
    await act(async () => {
      pending[2]!(['after the change']);
      await refreshed;
    });
    expect(result.current.items).toEqual(['after the change']);
    // The read begun on being shown again answers last, with the list as it was before.
    await act(async () => pending[1]!(['before the change']));
    expect(result.current.items).toEqual(['after the change']);
  });
});
