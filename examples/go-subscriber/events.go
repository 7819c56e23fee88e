package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The answers of the Dapr pub/sub contract.
const (
	Success = "SUCCESS" // handled, a duplicate, or held until its predecessor is in
	Retry   = "RETRY"   // the effect failed; the sidecar retries with its Resiliency policy
	Drop    = "DROP"    // poison; the sidecar publishes it to task.deadletter
)

// Event is the part of the v1 envelope this subscriber reads; unknown fields are ignored.
type Event struct {
	EventID   string `json:"eventId"`
	EventType string `json:"eventType"`
	TaskID    int64  `json:"taskId"`
	UserID    string `json:"userId"`
	Sequence  int64  `json:"sequence"`
	Metadata  struct {
		Source string `json:"source"`
	} `json:"metadata"`
}

// LoadSchema compiles the envelope's JSON Schema from a file or an install's URL
// (/schemas/task-event.v1.schema.json), with format assertions on: draft 2020-12 treats
// "format" as an annotation unless the validator is told to assert it.
func LoadSchema(location string) (*jsonschema.Schema, error) {
	var reader io.Reader
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		client := http.Client{Timeout: 10 * time.Second}
		response, err := client.Get(location)
		if err != nil {
			return nil, err
		}
		defer response.Body.Close()
		if response.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", location, response.Status)
		}
		reader = response.Body
	} else {
		file, err := os.Open(location)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		reader = file
	}
	document, err := jsonschema.UnmarshalJSON(reader)
	if err != nil {
		return nil, err
	}
	compiler := jsonschema.NewCompiler()
	compiler.AssertFormat()
	if err := compiler.AddResource("task-event.v1.schema.json", document); err != nil {
		return nil, err
	}
	return compiler.Compile("task-event.v1.schema.json")
}

// TaskEvents applies task events to an effect exactly once and, per task, in sequence
// order. State is in memory to keep the example short: a real consumer records processed
// ids, each task's next sequence and held events in its database, in the same transaction
// as its effect.
type TaskEvents struct {
	schema  *jsonschema.Schema
	effect  func(Event) error
	mu      sync.Mutex
	seen    map[string]bool           // event ids applied or held
	next    map[int64]int64           // task id -> the sequence to apply next
	held    map[int64]map[int64]Event // task id -> sequence -> event
	applied []Event
	dropped int
}

// NewTaskEvents returns a subscriber that validates with schema and applies with effect.
func NewTaskEvents(schema *jsonschema.Schema, effect func(Event) error) *TaskEvents {
	if effect == nil {
		effect = func(Event) error { return nil }
	}
	return &TaskEvents{schema: schema, effect: effect, seen: map[string]bool{},
		next: map[int64]int64{}, held: map[int64]map[int64]Event{}}
}

// Handle takes one delivered CloudEvent and says what the sidecar should do with it.
func (t *TaskEvents) Handle(body []byte) string {
	var cloudEvent struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &cloudEvent); err != nil || len(cloudEvent.Data) == 0 {
		return t.drop()
	}
	instance, err := jsonschema.UnmarshalJSON(bytes.NewReader(cloudEvent.Data))
	if err != nil {
		return t.drop()
	}
	if err := t.schema.Validate(instance); err != nil {
		return t.drop()
	}
	var event Event
	if err := json.Unmarshal(cloudEvent.Data, &event); err != nil {
		return t.drop()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	expected := t.nextOf(event.TaskID)
	// a duplicate, or a sequence the task already moved past, changes nothing
	if !t.seen[event.EventID] && event.Sequence >= expected {
		if event.Sequence > expected { // wait for its predecessor; never skip on a timer
			if t.held[event.TaskID] == nil {
				t.held[event.TaskID] = map[int64]Event{}
			}
			t.held[event.TaskID][event.Sequence] = event
			t.seen[event.EventID] = true
		} else if err := t.apply(event); err != nil {
			return Retry
		}
	}
	for {
		following, ok := t.held[event.TaskID][t.nextOf(event.TaskID)]
		if !ok {
			return Success
		}
		if err := t.apply(following); err != nil { // it stays held; the redelivery tries again
			return Retry
		}
		delete(t.held[event.TaskID], following.Sequence)
	}
}

func (t *TaskEvents) nextOf(task int64) int64 {
	if next, ok := t.next[task]; ok {
		return next
	}
	return 1
}

func (t *TaskEvents) apply(event Event) error {
	if err := t.effect(event); err != nil {
		return err
	}
	t.applied = append(t.applied, event)
	t.seen[event.EventID] = true
	t.next[event.TaskID] = event.Sequence + 1
	return nil
}

func (t *TaskEvents) drop() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dropped++
	return Drop
}

// Received is what GET /received shows.
type Received struct {
	Applied []Event `json:"applied"`
	Held    int     `json:"held"`
	Dropped int     `json:"dropped"`
}

// Snapshot returns what was applied, in order, and how many events are held or dropped.
func (t *TaskEvents) Snapshot() Received {
	t.mu.Lock()
	defer t.mu.Unlock()
	held := 0
	for _, events := range t.held {
		held += len(events)
	}
	return Received{Applied: append([]Event{}, t.applied...), Held: held, Dropped: t.dropped}
}
