/** The hidden logbook's text is laid out once through a copy that nothing but layout meets. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { layOutCopy } from '../../src/app/ui/lay-out-copy';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('layOutCopy', () => {
  it('lays out a copy out of sight and of reach, and leaves the page as it was', () => {
    document.body.innerHTML =
      '<main><section id="s" style="display: none !important"><h1 id="t">Logbook</h1>' +
      '<label for="q">Search</label><input id="q"><button>Fever 3</button></section>' +
      '<p>form</p></main>';
    const before = document.body.innerHTML;
    const section = document.getElementById('s')!;
    const laidOut: Record<string, unknown>[] = [];
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
      this: HTMLElement,
    ) {
      laidOut.push({
        copy: this !== section && this.isConnected && this.textContent === section.textContent,
        next: this.previousElementSibling === section,
        display: this.style.display,
        visibility: this.style.visibility,
        position: this.style.position,
        ariaHidden: this.getAttribute('aria-hidden'),
        inert: this.inert,
        ids: this.querySelectorAll('[id]').length + (this.id ? 1 : 0),
      });
      return new DOMRect();
    });

    layOutCopy(section);

    expect(laidOut).toEqual([
      {
        copy: true,
        next: true,
        display: '',
        visibility: 'hidden',
        position: 'absolute',
        ariaHidden: 'true',
        inert: true,
        ids: 0,
      },
    ]);
    expect(document.body.innerHTML).toBe(before);
  });
});
