// Operator's small browser helpers (no inline scripts: the CSP allows only 'self').
window.operator = {
    // The layout calls this once its circuit is up: browser tests wait for it before clicking.
    markInteractive: () => { document.body.dataset.interactive = "1"; },
    // The browser's time zone: its IANA name and its current offset (for a server that does not know the name).
    timeZone: () => ({ id: Intl.DateTimeFormat().resolvedOptions().timeZone || null, offsetMinutes: new Date().getTimezoneOffset() }),
    focus: (id) => { const el = document.getElementById(id); if (el) { el.focus(); el.select && el.select(); } },
    // Saves a document the server streamed (DotNetStreamReference) as a download: for documents made from a page's own
    // state (the labels of the serials a batch just created), which have no GET address a link could point at.
    download: async (fileName, contentType, streamRef) => {
        const url = URL.createObjectURL(new Blob([await streamRef.arrayBuffer()], { type: contentType }));
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
    },
};
