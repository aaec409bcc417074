/**
 * The committee page's lists read again (shown again, a change): the list read last stays until
 * the next answer, and an answer that comes after a later one's is stale and not shown.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdminApiError, NOT_GATELOG } from '../../src/app/features/committee/admin-api';
import { gatesByName, useAdminList, useRequest } from '../../src/app/features/committee/admin-list';
import { DEFAULT_GATE_NAME, DEFAULT_GATE_RULES } from '../../src/shared';
import { errorText, useCommitteeT } from '../../src/app/features/committee/words';

const handlers = { onRefused: () => undefined, onGateGone: () => undefined };

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
    const { result } = renderHook(() => useAdminList(load, handlers));
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

describe('a committee request that found something gone', () => {
  const gone = () => new AdminApiError(404, 'No such watchlist entry', 'watch_unknown');
  // The page's words, in its default language.
  const READ_AGAIN = /列表已重新读取/;

  it('says the list was read again only when it was', async () => {
    const { load, pending } = reads();
    const { result } = renderHook(() => ({
      t: useCommitteeT(),
      list: useAdminList(load, handlers),
      form: useRequest(handlers),
    }));
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending[0]!(['王五']));

    // Removed from the list: the list is read again, and the words say so.
    let removed!: Promise<boolean>;
    act(() => {
      removed = result.current.list.act(() => Promise.reject(gone()));
    });
    await waitFor(() => expect(pending).toHaveLength(2));
    await act(async () => {
      pending[1]!([]);
      await removed;
    });
    const { t } = result.current;
    expect(errorText(t, result.current.list.failure)).toMatch(READ_AGAIN);

    // A form's request that nothing reads again after: not found, and no more than that.
    await act(async () => void (await result.current.form.run(() => Promise.reject(gone()))));
    expect(pending).toHaveLength(2);
    expect(errorText(t, result.current.form.failure)).toBe('找不到了：可能已被别人改动或删除。');
  });

  it('has the page read the gates again when the gate it named is gone, as it then says', async () => {
    const onGateGone = vi.fn();
    const { result } = renderHook(() => ({
      t: useCommitteeT(),
      form: useRequest({ onRefused: handlers.onRefused, onGateGone }),
    }));
    const gateGone = new AdminApiError(404, 'No such gate', 'gate_unknown');
    await act(async () => void (await result.current.form.run(() => Promise.reject(gateGone))));
    expect(onGateGone).toHaveBeenCalledOnce();
    expect(errorText(result.current.t, result.current.form.failure)).toMatch(/门岗列表已重新读取/);
  });

  it('says that another server answered, without reading again or signing out, on its 404 or 401', async () => {
    const onRefused = vi.fn();
    const { load, pending } = reads();
    const { result } = renderHook(() => ({
      t: useCommitteeT(),
      list: useAdminList(load, { ...handlers, onRefused }),
    }));
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending[0]!(['王五']));

    // A proxy's page: nothing of the list is known to be gone, and another token would not help.
    for (const status of [404, 401]) {
      const foreign = new AdminApiError(status, 'Not Found', NOT_GATELOG);
      await act(async () => void (await result.current.list.act(() => Promise.reject(foreign))));
      expect(errorText(result.current.t, result.current.list.failure)).toBe(
        '应答不是 GateLog 服务器发出的：这个地址上是别的服务器或网关，请核对服务器地址。',
      );
    }
    expect(pending).toHaveLength(1);
    expect(onRefused).not.toHaveBeenCalled();
  });
});

describe('the gates as the page lists them', () => {
  const gate = (id: string, name: string) => ({ id, name, rules: DEFAULT_GATE_RULES });
  const made = [
    gate('g1', 'North Gate / 北门'),
    gate('g2', '西门'),
    gate('g3', '10号门'),
    gate('g4', '东门'),
    gate('g5', '2号门'),
    gate('g6', 'Back gate'),
  ];

  it('are by name in the page’s language, numbers by their value, not in the order made', () => {
    const names = (locale: 'zh-CN' | 'en') => gatesByName(made, locale).map((g) => g.name);
    expect(names('zh-CN')).toEqual([
      '2号门',
      '10号门',
      '东门',
      '西门',
      'Back gate',
      'North Gate / 北门',
    ]);
    expect(names('en')).toEqual([
      '2号门',
      '10号门',
      'Back gate',
      'North Gate / 北门',
      '东门',
      '西门',
    ]);
    // Two gates of one name keep one order, whichever way the server listed them.
    const twins = [gate('b', '南门'), gate('a', '南门')];
    expect(gatesByName(twins, 'zh-CN').map((g) => g.id)).toEqual(['a', 'b']);
    expect(gatesByName([...twins].reverse(), 'zh-CN').map((g) => g.id)).toEqual(['a', 'b']);
    // The gates read are left as they were.
    expect(made[0]!.name).toBe('North Gate / 北门');
  });

  it('put the first start’s gate where its name in the page’s language goes', () => {
    const gates = [gate('g1', DEFAULT_GATE_NAME), gate('g2', '竹园门'), gate('g3', '东门')];
    const ids = (locale: 'zh-CN' | 'en') => gatesByName(gates, locale).map((g) => g.id);
    // 正门 (zhèng) between 东门 (dōng) and 竹园门 (zhú) in Chinese, not after them among the
    // Latin names as its stored "Main gate / 正门" would be.
    expect(ids('zh-CN')).toEqual(['g3', 'g1', 'g2']);
    expect(ids('en')).toEqual(['g1', 'g3', 'g2']);
  });
});
