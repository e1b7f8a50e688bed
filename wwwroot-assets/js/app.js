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
    station: (() => {
        const muteKey = "operator.station.muted";
        let audio = null;
        // A keyboard-wedge scanner types a code and Enter within milliseconds, and the next code right after. The field
        // is never written by the server: this handler takes its text at Enter and empties it in the same tick, so
        // keys typed after that Enter land in an empty field and nothing is cut. Codes go to .NET one at a time, in order.
        const take = (el) => {
            const state = el.operatorStation;
            if (!state) return;
            const text = el.value;
            el.value = "";
            state.queue.push(text);
            el.dataset.queued = String(state.queue.length);
            pump(el, state);
        };
        const pump = async (el, state) => {
            if (state.sending) return;
            state.sending = true;
            try {
                while (state.queue.length > 0) {
                    try {
                        await state.dotnet.invokeMethodAsync("ScanFromBrowser", state.queue[0]);
                    } catch (e) {
                        // The circuit is gone (reload, sign-out): keep nothing half-sent, say so in the console.
                        console.error("Station scan not delivered", e);
                    }
                    state.queue.shift();
                    el.dataset.queued = String(state.queue.length);
                }
            } finally {
                state.sending = false;
            }
        };
        // Short tones from an oscillator (no audio files): rising for recorded, two equal beeps for already recorded,
        // a low buzz for refused. The last kind asked for is kept on <body data-last-tone> for tests, muted or not.
        const patterns = {
            "recorded": [[880, 0, 0.09, "sine"], [1320, 0.1, 0.12, "sine"]],
            "already-recorded": [[660, 0, 0.1, "triangle"], [660, 0.16, 0.1, "triangle"]],
            "refused": [[196, 0, 0.4, "square"]],
        };
        return {
            attach: (id, dotnet) => {
                const el = document.getElementById(id);
                if (!el) return;
                if (el.operatorStation) { el.operatorStation.dotnet = dotnet; return; }
                el.operatorStation = { dotnet, queue: [], sending: false };
                el.addEventListener("keydown", (e) => {
                    if (e.key === "Enter" || e.key === "NumpadEnter") {
                        e.preventDefault();
                        take(el);
                    }
                });
                // A tap on a station button must not take the focus from the scan field, or the next scan's keys go nowhere.
                const root = el.closest("[data-station-root]");
                if (root) root.addEventListener("mousedown", (e) => { if (e.target.closest("button")) e.preventDefault(); });
                el.dataset.attached = "1";
            },
            detach: (id) => { const el = document.getElementById(id); if (el && el.operatorStation) el.operatorStation.dotnet = null; },
            // The station profile this browser is: a cookie (a year, this site only) so the sign-in page can read it and
            // land the next sign-in on the station. Empty text forgets it.
            profile: () => { const m = document.cookie.match(/(?:^|;\s*)operator\.station=([^;]*)/); return m ? decodeURIComponent(m[1]) : ""; },
            setProfile: (id) => {
                document.cookie = id
                    ? `operator.station=${encodeURIComponent(id)}; path=/; max-age=31536000; samesite=lax`
                    : "operator.station=; path=/; max-age=0; samesite=lax";
            },
            // Station mode: the page covers the whole screen (the layout's app bar and navigation drawer are hidden).
            kiosk: (on) => { document.body.classList.toggle("op-kiosk", !!on); },
            // The Enter button on screen: the same as the scanner's Enter.
            submit: (id) => { const el = document.getElementById(id); if (el) { take(el); el.focus(); } },
            // Back to the scan field without selecting its text: keys a scanner typed meanwhile must not be replaced by the next one.
            focus: (id) => { const el = document.getElementById(id); if (el && document.activeElement !== el) el.focus({ preventScroll: true }); },
            muted: () => localStorage.getItem(muteKey) === "1",
            setMuted: (muted) => { if (muted) localStorage.setItem(muteKey, "1"); else localStorage.removeItem(muteKey); return muted; },
            tone: (kind) => {
                document.body.dataset.lastTone = kind;
                document.body.dataset.toneCount = String(Number(document.body.dataset.toneCount || "0") + 1);
                if (localStorage.getItem(muteKey) === "1" || !patterns[kind]) return;
                try {
                    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
                    if (audio.state === "suspended") audio.resume();
                    const start = audio.currentTime + 0.01;
                    for (const [freq, at, length, type] of patterns[kind]) {
                        const osc = audio.createOscillator();
                        const gain = audio.createGain();
                        osc.type = type;
                        osc.frequency.value = freq;
                        gain.gain.setValueAtTime(0.0001, start + at);
                        gain.gain.exponentialRampToValueAtTime(0.25, start + at + 0.01);
                        gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
                        osc.connect(gain).connect(audio.destination);
                        osc.start(start + at);
                        osc.stop(start + at + length + 0.02);
                    }
                } catch (e) {
                    // No audio device or autoplay refused: the colour and the words still say it.
                }
            },
        };
    })(),
};

// Ctrl+K (Cmd+K on a Mac) from anywhere: the top bar's find box takes the next number typed or scanned.
document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === "k" || e.key === "K")) {
        const box = document.getElementById("op-find");
        if (box) {
            e.preventDefault();
            box.focus();
            box.select();
        }
    }
});
