"""Hand a file from the kernel straight to the participant's browser as a download.

Why: in the browser edition the hand-in zip is written to the browser's own storage, where participants would have
to find it in the file browser and use its (untranslated) context menu. This widget receives the file's bytes as a
message from the kernel and saves them with the browser's normal download (a Blob and an ``<a download>``); a
visible link stays behind in case the browser held the download back. It works the same in JupyterLab.

The bytes travel as a message, not as a synced trait, so they never end up in the notebook's saved widget state.
"""

from __future__ import annotations

from typing import Any

import anywidget
from traitlets import Unicode

from ..core.headless import quiet_when_grading

_DOWNLOAD_ESM = """
function render({ model, el }) {
  const link = document.createElement("a");
  link.className = "kommfit-download-link";
  link.hidden = true;
  el.append(link);
  let url = null;
  const receive = (message, buffers) => {
    if (!message || message.kind !== "download" || !buffers || !buffers.length) return;
    if (url) URL.revokeObjectURL(url);
    const data = buffers[0];
    const bytes = data instanceof DataView ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data;
    url = URL.createObjectURL(new Blob([bytes], { type: message.mime || "application/octet-stream" }));
    link.href = url;
    link.download = message.filename;
    link.textContent = model.get("label").replace("{name}", message.filename);
    link.hidden = false;
    link.click();
  };
  model.on("msg:custom", receive);
  return () => { model.off("msg:custom", receive); if (url) URL.revokeObjectURL(url); };
}
export default { render };
"""


class Download(anywidget.AnyWidget):
    """Saves files sent with ``offer`` as downloads in the browser; shows a link to each again."""

    _esm = _DOWNLOAD_ESM
    _css = ".kommfit-download-link { display: inline-block; margin-top: 0.3em; }"

    label = Unicode("{name} noch einmal herunterladen",
                    help="Text of the link; {name} is the file name.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        quiet_when_grading()
        super().__init__(**kwargs)

    def offer(self, filename: str, data: bytes, mime: str = "application/zip") -> None:
        """Send ``data`` to the browser, which saves it as ``filename`` in its download folder."""
        self.send({"kind": "download", "filename": filename, "mime": mime}, buffers=[data])

    def __repr__(self) -> str:
        return "<Herunterladen>"
