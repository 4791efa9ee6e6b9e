package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/ansokan/normalizer"
	"github.com/finsam/ansokan/schema"
)

// PageSize is how many submissions one page of the Inkorg shows.
const PageSize = 50

// inboxQuery is the Inkorg's GET form: filters, search, sort, page.
type inboxQuery struct {
	Search, Status, Owner, From, To, Code string
	Sort, Dir                             string
	Page                                  int
}

func parseInboxQuery(v url.Values) inboxQuery {
	q := inboxQuery{
		Search: strings.TrimSpace(v.Get("q")), Status: v.Get("status"), Owner: v.Get("owner"),
		From: v.Get("from"), To: v.Get("to"), Code: v.Get("code"), Sort: v.Get("sort"), Dir: v.Get("dir"),
	}
	if _, ok := sortKeys[q.Sort]; !ok {
		q.Sort = "received"
	}
	if q.Dir != "asc" {
		q.Dir = "desc"
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	q.Page = max(q.Page, 1)
	return q
}

// values is the query as URL values, with the sort and page given.
func (q inboxQuery) values(sort, dir string, page int) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Search, "status": q.Status, "owner": q.Owner, "from": q.From, "to": q.To, "code": q.Code} {
		if s != "" {
			v.Set(k, s)
		}
	}
	v.Set("sort", sort)
	v.Set("dir", dir)
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

func (q inboxQuery) filtered() bool {
	return q.Search != "" || q.Status != "" || q.Owner != "" || q.From != "" || q.To != "" || q.Code != ""
}

// match reports whether a row passes the filters and the search.
func (q inboxQuery) match(r *Row, from, to time.Time) bool {
	if q.Status != "" && r.Status() != q.Status {
		return false
	}
	if q.Owner != "" && r.Owner != q.Owner {
		return false
	}
	if !from.IsZero() && r.Received.Before(from) || !to.IsZero() && !r.Received.Before(to) {
		return false
	}
	if q.Code != "" && !slices.Contains(r.Codes, q.Code) {
		return false
	}
	if q.Search != "" {
		s := strings.ToLower(q.Search)
		if !strings.Contains(strings.ToLower(r.Title), s) && !slices.ContainsFunc(r.Orgs, func(o string) bool { return strings.Contains(o, s) }) {
			return false
		}
	}
	return true
}

// sortKeys orders rows by a column.
var sortKeys = map[string]func(a, b *Row) int{
	"received": func(a, b *Row) int { return a.Received.Compare(b.Received) },
	"title":    func(a, b *Row) int { return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) },
	"owner":    func(a, b *Row) int { return cmp.Compare(strings.ToLower(a.Owner), strings.ToLower(b.Owner)) },
	"status":   func(a, b *Row) int { return cmp.Compare(a.Status(), b.Status()) },
	"errors":   func(a, b *Row) int { return cmp.Compare(a.Errors, b.Errors) },
	"warnings": func(a, b *Row) int { return cmp.Compare(a.Warnings, b.Warnings) },
	"infos":    func(a, b *Row) int { return cmp.Compare(a.Infos, b.Infos) },
}

// column is one sortable column heading.
type column struct {
	Label, Href, AriaSort, Arrow string
	Num                          bool
}

var columns = []struct {
	key, label string
	num        bool
}{
	{"received", "Mottagen", false}, {"title", "Titel", false}, {"owner", "Projektägare", false},
	{"status", "Status", false}, {"errors", "Fel", true}, {"warnings", "Varningar", true}, {"infos", "Info", true},
}

type inboxData struct {
	Q          inboxQuery
	Rows       []Row
	Total      int
	Page       int
	Pages      int
	Prev, Next string
	Columns    []column
	Statuses   []string
	Owners     []string
	Codes      []string
	Filtered   bool
	Notice     string
	Version    string
}

// findingCodes are the codes the filter offers.
var findingCodes = func() []string {
	var out []string
	for c := range schema.DefaultSeverity {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}()

// inboxPage selects, sorts and pages the rows for a query.
func (s *Server) inboxPage(q inboxQuery) inboxData {
	var from, to time.Time
	if t, err := time.ParseInLocation("2006-01-02", q.From, time.Local); err == nil {
		from = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.To, time.Local); err == nil {
		to = t.AddDate(0, 0, 1) // the whole of the last day
	}
	all := s.idx.snapshot()
	rows := all[:0]
	for i := range all {
		if q.match(&all[i], from, to) {
			rows = append(rows, all[i])
		}
	}
	by := sortKeys[q.Sort]
	slices.SortStableFunc(rows, func(a, b Row) int {
		c := by(&a, &b)
		if c == 0 {
			c = cmp.Compare(a.Key, b.Key)
		}
		if q.Dir == "desc" {
			return -c
		}
		return c
	})
	d := inboxData{Q: q, Total: len(rows), Statuses: statuses, Owners: s.idx.owners(), Codes: findingCodes,
		Filtered: q.filtered(), Version: normalizer.Version}
	d.Pages = max(1, (len(rows)+PageSize-1)/PageSize)
	d.Page = min(q.Page, d.Pages)
	lo := (d.Page - 1) * PageSize
	d.Rows = rows[lo:min(lo+PageSize, len(rows))]
	if d.Page > 1 {
		d.Prev = "/?" + q.values(q.Sort, q.Dir, d.Page-1).Encode()
	}
	if d.Page < d.Pages {
		d.Next = "/?" + q.values(q.Sort, q.Dir, d.Page+1).Encode()
	}
	for _, c := range columns {
		col := column{Label: c.label, Num: c.num}
		dir := "asc"
		if c.key == q.Sort {
			if q.Dir == "asc" {
				col.AriaSort, col.Arrow, dir = "ascending", "▲", "desc"
			} else {
				col.AriaSort, col.Arrow = "descending", "▼"
			}
		} else if c.key == "received" || c.num {
			dir = "desc"
		}
		col.Href = "/?" + q.values(c.key, dir, 1).Encode()
		d.Columns = append(d.Columns, col)
	}
	return d
}

// inbox serves the Inkorg.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	d := s.inboxPage(parseInboxQuery(r.URL.Query()))
	if n := r.URL.Query().Get("omkord"); n != "" {
		if k, err := strconv.Atoi(n); err == nil {
			d.Notice = strconv.Itoa(k) + " ansökningar köades för att läsas om."
			if k == 0 {
				d.Notice = "Inga ansökningar behövde läsas om."
			}
		}
	}
	s.render(w, r, http.StatusOK, "inbox", page{Title: "Inkorg", Nav: "inbox", Data: d})
}
