import type { FileView } from "@parley/client";
import { useEffect, useRef, useState } from "react";
import { parley } from "./parley.js";

/** How many amplitudes a voice message's waveform holds (what the API takes). */
const WAVEFORM_LENGTH = 64;

/** "m:ss" of `ms` milliseconds, rounded to the nearest second. */
export function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * The waveform of a recording: decoded with Web Audio (`decodeAudioData`), its first channel cut
 * into 64 even slices, each slice's peak amplitude (0..1) scaled to 0-255.
 */
export async function waveformOf(recording: Blob): Promise<number[]> {
  const context = new AudioContext();
  try {
    const audio = await context.decodeAudioData(await recording.arrayBuffer());
    const samples = audio.getChannelData(0);
    const slice = Math.max(1, Math.floor(samples.length / WAVEFORM_LENGTH));
    return Array.from({ length: WAVEFORM_LENGTH }, (_, i) => {
      let peak = 0;
      for (let j = i * slice; j < Math.min(samples.length, (i + 1) * slice); j++) peak = Math.max(peak, Math.abs(samples[j]));
      return Math.round(Math.min(1, peak) * 255);
    });
  } finally {
    void context.close();
  }
}

/** A MediaRecorder on the microphone: `start`, `stop` (which hands the recording to `onRecorded`), the seconds so far. */
function useRecorder(onRecorded: (recording: Blob) => void) {
  const recorder = useRef<MediaRecorder | null>(null);
  const [seconds, setSeconds] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (seconds === null) return;
    const timer = setTimeout(() => setSeconds(seconds + 1), 1000);
    return () => clearTimeout(timer);
  }, [seconds]);
  async function start() {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"].find((t) => MediaRecorder.isTypeSupported(t));
      const media = new MediaRecorder(stream, type ? { mimeType: type } : {});
      const chunks: Blob[] = [];
      media.ondataavailable = (event) => chunks.push(event.data);
      media.onstop = () => {
        stream.getTracks().forEach((track) => track.stop());
        onRecorded(new Blob(chunks, { type: media.mimeType }));
      };
      media.start();
      recorder.current = media;
      setSeconds(0);
    } catch (e) {
      setError(`The microphone is not available (${(e as Error).message}).`);
    }
  }
  function stop() {
    recorder.current?.stop();
    recorder.current = null;
    setSeconds(null);
  }
  return { start, stop, seconds, error };
}

/** The record button of the composer: "Record voice", then "Stop recording" with the time so far. */
export function RecordButton({ onRecorded }: { onRecorded: (recording: Blob) => void }) {
  const { start, stop, seconds, error } = useRecorder(onRecorded);
  return (
    <>
      {seconds === null ? (
        <button type="button" className="record" aria-label="Record voice" title="Record voice" onClick={() => void start()}>
          Voice
        </button>
      ) : (
        <button type="button" className="record recording" aria-label="Stop recording" onClick={stop}>
          ■ <span className="elapsed">{clock(seconds * 1000)}</span>
        </button>
      )}
      {error && <span role="alert">{error}</span>}
    </>
  );
}

/** A waveform of 0-255 amplitudes as bars (a flat line when the sender's app sent none). */
function Waveform({ values }: { values: number[] | undefined }) {
  const bars = values ?? Array<number>(WAVEFORM_LENGTH).fill(0);
  return (
    <svg
      className="waveform"
      role="img"
      aria-label="Waveform"
      viewBox={`0 0 ${bars.length * 3} 32`}
      width={bars.length * 3}
      height={32}
    >
      {bars.map((value, i) => {
        const height = Math.max(1, Math.round((value / 255) * 32));
        return <rect key={i} x={i * 3} y={32 - height} width={2} height={height} />;
      })}
    </svg>
  );
}

/** A voice message: its waveform and duration, and a player (the audio fetched with the ID token). */
export function VoicePlayer({ file, sender }: { file: FileView; sender: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    void parley.rest.download(file.downloadPath).then((blob) => setSrc((url = URL.createObjectURL(blob))));
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.downloadPath]);
  return (
    <figure className="voice" aria-label={`Voice message from ${sender}`}>
      <Waveform values={file.waveform} />
      <span className="duration" aria-label="Duration">
        {clock(file.durationMs ?? 0)}
      </span>
      {src ? <audio controls src={src} aria-label="Play voice message" /> : <span>Loading audio…</span>}
    </figure>
  );
}
