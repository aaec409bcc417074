// Placeholder until the PWA bridge lands.
export function UpdatePrompt() {
  return null;
}
