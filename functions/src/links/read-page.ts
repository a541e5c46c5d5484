import type { LinkPreviewDoc } from "../shared/model.js";

/** Longest title, description and site name kept, in characters. */
const MAX_FIELD: Record<"title" | "description" | "siteName", number> = { title: 300, description: 1000, siteName: 100 };

/** What a page says of itself: its preview's texts and the absolute URL of its image, if any. */
export interface PageSummary {
  title: string;
  description: string;
  siteName: string;
  imageUrl: string | undefined;
}

/**
 * Reads the Open Graph tags of `html` (Twitter card tags, then `<title>` and the description
 * meta tag, where those are missing) with open-graph-scraper, which parses only (its `html`
 * option: it fetches nothing). `pageUrl` resolves a relative image URL.
 * Returns `undefined` when the page has neither a title nor a description.
 */
export async function readPage(html: string, pageUrl: string): Promise<PageSummary | undefined> {
  // Loaded on first use: only the link preview trigger parses pages.
  const { default: ogs } = await import("open-graph-scraper");
  const { result } = await ogs({ html }).catch(() => ({ result: undefined }));
  if (!result) return undefined;
  const title = clip(result.ogTitle ?? result.twitterTitle ?? result.dcTitle, MAX_FIELD.title);
  const description = clip(result.ogDescription ?? result.twitterDescription ?? result.dcDescription, MAX_FIELD.description);
  if (!title && !description) return undefined;
  const image = result.ogImage?.[0]?.url ?? result.twitterImage?.[0]?.url;
  return { title, description, siteName: clip(result.ogSiteName, MAX_FIELD.siteName), imageUrl: absoluteUrl(image, pageUrl) };
}

/** `value` trimmed, whitespace runs made one space, at most `max` characters. */
function clip(value: string | undefined, max: number): string {
  return (value ?? "").replace(/\s+/g, " ").trim().slice(0, max);
}

/** `url` resolved against `base`, when it is http(s). */
function absoluteUrl(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}

/** A preview's texts from a page summary. */
export function previewTexts(url: string, page: PageSummary): Omit<LinkPreviewDoc, "image"> {
  return { url, title: page.title, description: page.description, siteName: page.siteName };
}
