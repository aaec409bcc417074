/** Quick lookup of people logged before on this phone; one tap fills the form. */
import { useEffect, useState } from 'react';
import type { Person } from '../../../shared';
import type { KnownPerson } from '../../db';
import { loadDb } from '../../db/load';
import { common } from '../../i18n/common';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';

const LOOKUP_DELAY_MS = 120;

const maskId = (id: string) => (id.length > 4 ? `…${id.slice(-4)}` : id);

export function PersonLookup({ onPick }: { onPick: (p: Person) => void }) {
  const t = useT(common, messages);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<KnownPerson[] | null>(null);

  useEffect(() => {
    if (query.trim() === '') {
      setFound(null);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      void loadDb()
        .then((db) => db.lookupPeople(query))
        .then((rows) => alive && setFound(rows));
    }, LOOKUP_DELAY_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [query]);

  const none = found?.length === 0;
  return (
    <div className="field">
      <label htmlFor="person-lookup">{t('lookup')}</label>
      <input
        id="person-lookup"
        type="search"
        autoComplete="off"
        placeholder={t('lookupHint')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-describedby={none ? 'person-lookup-none' : undefined}
      />
      {/* A live region from the start, so a screen reader hears "nobody found" when it comes. */}
      <span id="person-lookup-none" className="field-hint" role="status">
        {none && t('lookupNone')}
      </span>
      {found && found.length > 0 && (
        <ul className="lookup-results" aria-label={t('lookup')}>
          {found.map((k) => (
            <li key={k.key}>
              <button
                type="button"
                onClick={() => {
                  onPick(k.person);
                  setQuery('');
                }}
              >
                <strong>{k.name}</strong>
                {' · '}
                {t(`category.${k.person.category}`)}
                {k.address && ` · ${k.address}`}
                {k.phone && ` · ${k.phone}`}
                {k.person.idNumber && ` · ${maskId(k.person.idNumber)}`}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
