/**
 * The tab's copy of the entry form's draft (db/draft-copy.ts) against the stored one: the newer
 * of this tab's wins, another tab's stored draft or Save never overrides this tab's copy.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { db, getSetting, saveDraft, setSetting } from '../../src/app/db';
import { endStamp, keepTabCopy, newestDraft } from '../../src/app/db/draft-copy';
import { freshDb } from './render-app';

const draft = (name: string) => ({ person: { name }, returnee: { status: 'none' } });
const otherTab = (seq: number) => ({ tab: 'another-tab', seq });

beforeEach(() => {
  freshDb();
});

describe('the draft a tab restores', () => {
  it('is the stored one when the tab kept no copy (a new tab, the app opened again)', () => {
    expect(newestDraft(draft('A'))).toEqual(draft('A'));
    expect(newestDraft(undefined)).toBeUndefined();
  });

  it('is the tab’s copy when the stored draft is older or missing (a reload before its write)', () => {
    const first = keepTabCopy(draft('Zhou'))!;
    keepTabCopy(draft('Zhou Jiu'));
    expect(newestDraft(undefined)).toEqual(draft('Zhou Jiu'));
    expect(newestDraft({ ...draft('Zhou'), stamp: first })).toEqual(draft('Zhou Jiu'));
  });

  it('is the stored one when this tab stored it as late as its copy', () => {
    const stamp = keepTabCopy(draft('Zhou Jiu'))!;
    const stored = { ...draft('Zhou Jiu'), stamp };
    expect(newestDraft(stored)).toBe(stored);
  });

  it('is nothing after this tab’s Save, even before the form was cleared', () => {
    keepTabCopy(draft('Zhou Jiu'));
    const stamp = endStamp()!;
    expect(newestDraft({ stamp })).toEqual({ stamp });
  });

  it('is the tab’s copy over another tab’s draft or Save, and a blank form is blank', () => {
    keepTabCopy(draft('Zhou Jiu'));
    expect(newestDraft({ ...draft('Feng Bo'), stamp: otherTab(99) })).toEqual(draft('Zhou Jiu'));
    expect(newestDraft({ stamp: otherTab(99) })).toEqual(draft('Zhou Jiu'));
    keepTabCopy(null);
    expect(newestDraft({ ...draft('Feng Bo'), stamp: otherTab(99) })).toBeUndefined();
  });

  it('a save with no copy kept marks nothing', () => {
    expect(endStamp()).toBeUndefined();
  });
});

describe('a blank form', () => {
  it('removes the stored draft of its own tab, not another tab’s', async () => {
    await setSetting('draft', { ...draft('Feng Bo'), stamp: otherTab(3) });
    await saveDraft(undefined, keepTabCopy(null));
    expect(await getSetting('draft')).toMatchObject({ person: { name: 'Feng Bo' } });

    await saveDraft(draft('Zhou Jiu'), keepTabCopy(draft('Zhou Jiu')));
    await saveDraft(undefined, keepTabCopy(null));
    expect(await db.settings.get('draft')).toBeUndefined();
  });
});
