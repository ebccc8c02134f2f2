// Command lincheck checks a recorded history of PUTs, DELETEs and GETs on items against a per-item
// register model with Porcupine (github.com/anishathalye/porcupine), the checker the issue
// asks for instead of a hand-written one.
//
// Usage: lincheck [--html reports/NAME.html] [--timeout 60s] history.json
//
// The history (written by test/lincheck/history.ts):
//
//	{"ops": [{"client": 0, "key": "01J...", "op": "put", "value": 347, "callUs": 10, "returnUs": 95}, ...]}
//
//	{"client": 3, "key": "01J...", "op": "delete", "value": null, "found": true, "callUs": 96, "returnUs": 180}
//
// A delete empties the register. "found" says what its answer said: true for 204 (it removed a
// value), false for 404 (the register already held nothing there), absent when its outcome is
// unknown.
//
// A put or delete whose outcome is unknown (no answer, a 5xx, a refusal that may follow an applied first
// attempt) has "returnUs": null: it may have taken effect at any time after its call, so it
// stays open to the end of the history, as Knossos and Porcupine treat indeterminate ops. A get
// records the value it saw, or null for 404 (the item holds nothing).
//
// Exit 0: linearizable. Exit 1: not linearizable (the reason is printed, the visualization is
// written to --html). Exit 2: bad input or the check timed out (neither proven).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

type recordedOp struct {
	Client   int     `json:"client"`
	Key      string  `json:"key"`
	Op       string  `json:"op"`
	Value    *int64  `json:"value"`
	CallUs   int64   `json:"callUs"`
	ReturnUs *int64  `json:"returnUs"`
	Found    *bool   `json:"found,omitempty"`
	Note     *string `json:"note,omitempty"`
}

// droppedUnseen counts unknown-outcome puts left out because no read saw their value. That is
// sound for a register: such a put either never took effect, or took effect and was overwritten
// before anyone read it; either way a linearization with it exists exactly when one without it
// does (it can always be placed at the end, or just before the write that overwrote it). Left in,
// every one can go anywhere after its call, and a failover's burst of them makes the search
// exponential. Acknowledged puts are never dropped: they must take effect inside their interval.
// Nor are any of an item that a delete answered 204 on: that answer says the register held some
// value, which an unseen put may have been the only one to give it.
var droppedUnseen int

// removedSomething is the set of keys on which some delete answered 204 (found).
func removedSomething(ops []recordedOp) map[string]bool {
	keys := map[string]bool{}
	for _, op := range ops {
		if op.Op == "delete" && op.Found != nil && *op.Found {
			keys[op.Key] = true
		}
	}
	return keys
}

// observed is, per key, the set of values some get saw.
func observed(ops []recordedOp) map[string]map[int64]bool {
	seen := map[string]map[int64]bool{}
	for _, op := range ops {
		if op.Op == "get" && op.Value != nil {
			if seen[op.Key] == nil {
				seen[op.Key] = map[int64]bool{}
			}
			seen[op.Key][*op.Value] = true
		}
	}
	return seen
}

// openEndUs is the return time given to puts whose outcome is unknown: after every other event.
var openEndUs int64

type history struct {
	Ops []recordedOp `json:"ops"`
}

// opKind is what an operation does to its item's register.
type opKind int

const (
	opGet opKind = iota
	opPut
	opDelete
)

// input of one operation on the register; a get's output is the value it saw (0: none); a
// delete's output is deleteFound, deleteAbsent or deleteUnknown.
type input struct {
	key   string
	kind  opKind
	value int64
}

const (
	deleteUnknown int64 = 0
	deleteFound   int64 = 1
	deleteAbsent  int64 = 2
)

// registerModel is one register per item: a put sets it, a get must see its current value.
var registerModel = porcupine.Model{
	Partition: func(ops []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range ops {
			k := op.Input.(input).key
			if _, seen := byKey[k]; !seen {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		sort.Strings(keys)
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() interface{} { return int64(0) },
	Step: func(state, in, out interface{}) (bool, interface{}) {
		i := in.(input)
		switch i.kind {
		case opPut:
			return true, i.value
		case opDelete:
			// A 204 needs a value to remove; a 404 needs the register empty; an unknown outcome
			// fits either.
			switch out.(int64) {
			case deleteFound:
				return state.(int64) != 0, int64(0)
			case deleteAbsent:
				return state.(int64) == 0, int64(0)
			}
			return true, int64(0)
		}
		return out.(int64) == state.(int64), state
	},
	Equal: func(a, b interface{}) bool { return a.(int64) == b.(int64) },
	DescribeOperation: func(in, out interface{}) string {
		i := in.(input)
		switch i.kind {
		case opPut:
			return fmt.Sprintf("put %s", describeValue(i.value))
		case opDelete:
			return fmt.Sprintf("delete -> %s", map[int64]string{deleteFound: "204", deleteAbsent: "404", deleteUnknown: "unknown"}[out.(int64)])
		}
		return fmt.Sprintf("get -> %s", describeValue(out.(int64)))
	},
	DescribeState: func(state interface{}) string { return describeValue(state.(int64)) },
}

func describeValue(v int64) string {
	if v == 0 {
		return "none"
	}
	return fmt.Sprint(v)
}

func main() {
	htmlPath := flag.String("html", "", "where to write Porcupine's visualization when the history is not linearizable")
	timeout := flag.Duration("timeout", 60*time.Second, "give up (exit 2) after this long")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: lincheck [--html FILE] [--timeout 60s] history.json")
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	ops, err := load(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "lincheck: %s: %v\n", flag.Arg(0), err)
		os.Exit(2)
	}
	os.Exit(check(ops, *htmlPath, *timeout))
}

func load(path string) ([]porcupine.Operation, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var h history
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("not a history: %v", err)
	}
	var end int64
	for _, op := range h.Ops {
		if op.ReturnUs != nil && *op.ReturnUs > end {
			end = *op.ReturnUs
		}
		if op.CallUs > end {
			end = op.CallUs
		}
	}
	openEndUs = end + 1
	ops := make([]porcupine.Operation, 0, len(h.Ops))
	seen := observed(h.Ops)
	removed := removedSomething(h.Ops)
	for n, op := range h.Ops {
		if op.Op == "put" && op.ReturnUs == nil && op.Value != nil && !seen[op.Key][*op.Value] && !removed[op.Key] {
			droppedUnseen++
			continue
		}
		converted, err := convert(op, end+1)
		if err != nil {
			return nil, fmt.Errorf("ops[%d]: %v", n, err)
		}
		ops = append(ops, converted)
	}
	return ops, nil
}

func convert(op recordedOp, openEnd int64) (porcupine.Operation, error) {
	if op.Key == "" {
		return porcupine.Operation{}, errors.New("key: missing")
	}
	if op.Client < 0 {
		return porcupine.Operation{}, errors.New("client: must be >= 0")
	}
	value := int64(0)
	if op.Value != nil {
		value = *op.Value
	}
	note := ""
	if op.Note != nil {
		note = *op.Note
	}
	ret := openEnd
	if op.ReturnUs != nil {
		ret = *op.ReturnUs
		if ret < op.CallUs {
			return porcupine.Operation{}, fmt.Errorf("returnUs %d is before callUs %d", ret, op.CallUs)
		}
	}
	switch op.Op {
	case "put":
		if value <= 0 {
			return porcupine.Operation{}, errors.New("value: a put writes a positive integer")
		}
		return porcupine.Operation{ClientId: op.Client, Input: input{op.Key, opPut, value}, Call: op.CallUs, Return: ret, Output: int64(0), Metadata: note}, nil
	case "delete":
		if op.Value != nil {
			return porcupine.Operation{}, errors.New("value: a delete writes none (null)")
		}
		if (op.ReturnUs == nil) != (op.Found == nil) {
			return porcupine.Operation{}, errors.New("found: set exactly when the delete was answered (returnUs)")
		}
		outcome := deleteUnknown
		if op.Found != nil && *op.Found {
			outcome = deleteFound
		} else if op.Found != nil {
			outcome = deleteAbsent
		}
		return porcupine.Operation{ClientId: op.Client, Input: input{op.Key, opDelete, 0}, Call: op.CallUs, Return: ret, Output: outcome, Metadata: note}, nil
	case "get":
		if op.ReturnUs == nil {
			return porcupine.Operation{}, errors.New("returnUs: a get without an answer saw nothing; leave it out")
		}
		return porcupine.Operation{ClientId: op.Client, Input: input{op.Key, opGet, 0}, Call: op.CallUs, Return: ret, Output: value, Metadata: note}, nil
	default:
		return porcupine.Operation{}, fmt.Errorf("op: %q is not put, delete or get", op.Op)
	}
}

// check runs Porcupine and explains a failure item by item.
func check(ops []porcupine.Operation, htmlPath string, timeout time.Duration) int {
	result, info := porcupine.CheckOperationsVerbose(registerModel, ops, timeout)
	parts := registerModel.Partition(ops)
	puts, deletes, gets := 0, 0, 0
	for _, op := range ops {
		switch op.Input.(input).kind {
		case opPut:
			puts++
		case opDelete:
			deletes++
		default:
			gets++
		}
	}
	summary := fmt.Sprintf("%d ops (%d puts, %d gets) on %d items", len(ops), puts, gets, len(parts))
	if deletes > 0 {
		summary = fmt.Sprintf("%d ops (%d puts, %d deletes, %d gets) on %d items", len(ops), puts, deletes, gets, len(parts))
	}
	if droppedUnseen > 0 {
		summary += fmt.Sprintf("; %d unknown-outcome puts no read saw left out", droppedUnseen)
	}
	switch result {
	case porcupine.Ok:
		fmt.Printf("linearizable: %s\n", summary)
		return 0
	case porcupine.Unknown:
		fmt.Printf("unknown: the check of %s did not finish within %s\n", summary, timeout)
		return 2
	}
	fmt.Printf("NOT linearizable: %s\n", summary)
	partials := info.PartialLinearizations()
	for p, part := range parts {
		explain(part, partials[p])
	}
	if htmlPath != "" {
		if err := os.MkdirAll(filepath.Dir(htmlPath), 0o755); err == nil {
			if err := porcupine.VisualizePath(registerModel, info, htmlPath); err == nil {
				fmt.Printf("visualization: %s\n", htmlPath)
			} else {
				fmt.Fprintf(os.Stderr, "lincheck: writing %s: %v\n", htmlPath, err)
			}
		}
	}
	return 1
}

// explain prints, for an item whose operations no order explains, the longest order found and
// the earliest-returning operation it could not place.
func explain(part []porcupine.Operation, partials [][]int) {
	longest := []int{}
	for _, l := range partials {
		if len(l) > len(longest) {
			longest = l
		}
	}
	if len(longest) == len(part) {
		return
	}
	key := part[0].Input.(input).key
	placed := map[int]bool{}
	for _, id := range longest {
		placed[id] = true
	}
	stuck := -1
	for id, op := range part {
		if !placed[id] && (stuck < 0 || op.Return < part[stuck].Return) {
			stuck = id
		}
	}
	fmt.Printf("  item %s: %d operations; the longest linearizable order places %d of them:\n", key, len(part), len(longest))
	state := int64(0)
	from := 0
	if len(longest) > 8 {
		from = len(longest) - 8
		fmt.Printf("    ... %d earlier\n", from)
	}
	for n, id := range longest {
		op := part[id]
		_, next := registerModel.Step(state, op.Input, op.Output)
		if n >= from {
			fmt.Printf("    %s\n", describe(op))
		}
		state = next.(int64)
	}
	if stuck >= 0 {
		fmt.Printf("  then it cannot place %s: the register holds %s there\n", describe(part[stuck]), describeValue(state))
	}
}

func describe(op porcupine.Operation) string {
	ret := "open"
	if op.Return != openEndUs {
		ret = fmt.Sprintf("%.1f ms", float64(op.Return)/1000)
	}
	note := ""
	if s, ok := op.Metadata.(string); ok && s != "" {
		note = "  (" + s + ")"
	}
	return fmt.Sprintf("client %d: %s  [%.1f ms .. %s]%s", op.ClientId,
		registerModel.DescribeOperation(op.Input, op.Output), float64(op.Call)/1000, ret, note)
}
