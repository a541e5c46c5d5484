/** "14:05": a message's time of day, in the user's locale. */
export function timeOf(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : "";
}

/** "Today", "Yesterday" or the date: the label of a day separator. */
export function dayOf(iso: string | null, now = new Date()): string {
  if (!iso) return "";
  const day = new Date(iso);
  const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  const days = Math.round((midnight(now) - midnight(day)) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return day.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
