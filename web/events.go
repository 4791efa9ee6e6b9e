package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// heartbeat is how often an idle event stream gets a comment, so that
// proxies keep it open.
const heartbeat = 25 * time.Second

// events streams the Inkorg's changes (Server-Sent Events): each row
// that changes is sent rendered, as event "row" with {key, html,
// announce}; the page's script puts it in place and says it in the live
// region. A row removed under the retention is event "remove" with {key,
// announce}.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	keys, stop := s.idx.subscribe()
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(w, ": ansokan\n\n")
	fl.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			_, _ = fmt.Fprint(w, ": ping\n\n")
		case key := <-keys:
			row, ok := s.idx.get(key)
			if !ok {
				// Gone (removed under the retention): the page drops it.
				b, _ := json.Marshal(map[string]string{"key": rowID(key), "announce": "En ansökan har gallrats ur inkorgen."})
				if _, err := fmt.Fprintf(w, "event: remove\ndata: %s\n\n", b); err != nil {
					return
				}
				fl.Flush()
				continue
			}
			var buf bytes.Buffer
			if err := s.tmpl["inbox"].ExecuteTemplate(&buf, "row", row); err != nil {
				s.log.Error("event row not rendered", "err", err)
				continue
			}
			what := row.Title
			if what == "" && len(row.Files) > 0 {
				what = row.Files[0]
			}
			b, _ := json.Marshal(map[string]string{"key": row.ID(), "html": buf.String(),
				"announce": fmt.Sprintf("Inkorgen uppdaterad: %s, %s.", what, row.Status())})
			if _, err := fmt.Fprintf(w, "event: row\ndata: %s\n\n", b); err != nil {
				return
			}
		}
		fl.Flush()
	}
}
