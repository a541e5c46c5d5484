import type { MessageView } from "@parley/client";
import { useEffect, useState } from "react";
import { parley } from "./parley.js";

/** What a preview card shows, and whether its viewer sent the message (then they may remove it). */
interface LinkPreviewCardProps {
  message: MessageView;
  /** The viewer sent the message and may still change it. */
  removable: boolean;
}

/**
 * A message's link preview: title (a link to the page), site name, description and image. The
 * image is our copy, downloaded from the API with the ID token: the app never loads a third
 * party's URL. The sender gets a "Remove preview" button.
 */
export function LinkPreviewCard({ message, removable }: LinkPreviewCardProps) {
  const preview = message.linkPreview!;
  const src = usePreviewImage(preview.image?.downloadPath);
  const [error, setError] = useState<string | null>(null);
  const remove = () =>
    void parley.rest
      .removeLinkPreview({ chatId: message.chatId, number: message.number })
      .catch((e: Error) => setError(e.message));
  return (
    <aside className="link-preview" aria-label="Link preview">
      {preview.image && src && <img src={src} alt="" width={preview.image.width} height={preview.image.height} />}
      <div>
        {preview.siteName && <span className="site">{preview.siteName}</span>}
        <a href={preview.url} target="_blank" rel="noopener noreferrer nofollow">
          {preview.title || preview.url}
        </a>
        {preview.description && <p>{preview.description}</p>}
        {removable && (
          <button type="button" className="link" onClick={remove}>
            Remove preview
          </button>
        )}
        {error && <p role="alert">{error}</p>}
      </div>
    </aside>
  );
}

/** An object URL of the preview image at the API path `downloadPath`, once downloaded. */
function usePreviewImage(downloadPath: string | undefined): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    if (!downloadPath) return;
    let url: string | null = null;
    void parley.rest.download(downloadPath).then((blob) => setSrc((url = URL.createObjectURL(blob))));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [downloadPath]);
  return src;
}
