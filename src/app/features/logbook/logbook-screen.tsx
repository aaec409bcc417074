// Placeholder until this screen lands.
export default function Screen() {
  return <p>…</p>;
}
