package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"testing"
)

var schema = mustLoadSchema()

func mustLoadSchema() *jsonschema.Schema {
	s, err := LoadSchema("../../src/main/resources/schemas/task-event.v1.schema.json")
	if err != nil {
		panic(err)
	}
	return s
}

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// cloudEvent builds a v1 task CloudEvent; change edits its envelope (data).
func cloudEvent(task, sequence int64, eventType string, change func(data map[string]any)) map[string]any {
	id := newUUID()
	data := map[string]any{
		"eventId": id, "eventType": eventType, "schemaVersion": "1.0", "taskId": task, "userId": "alice",
		"timestamp": "2026-11-30T10:00:00.123456Z", "sequence": sequence,
		"data": map[string]any{"task": map[string]any{
			"id": task, "title": "Write the example", "status": "OPEN", "priority": "HIGH", "tags": []string{"docs"},
			"createdAt": "2026-11-30T10:00:00Z", "updatedAt": "2026-11-30T10:00:00Z", "version": sequence}},
		"metadata": map[string]any{"source": "web", "version": sequence},
	}
	if change != nil {
		change(data)
	}
	return map[string]any{"specversion": "1.0", "id": id, "source": "/taskstream/tasks",
		"type": "io.taskstream.task." + eventType + ".v1", "subject": fmt.Sprint(task),
		"datacontenttype": "application/json",
		"dataschema":      "https://taskstream.io/schemas/task-event.v1.schema.json", "data": data}
}

func body(event map[string]any) []byte {
	b, _ := json.Marshal(event)
	return b
}

type position struct{ task, sequence int64 }

func applied(events *TaskEvents) []position {
	positions := []position{}
	for _, e := range events.Snapshot().Applied {
		positions = append(positions, position{e.TaskID, e.Sequence})
	}
	return positions
}

func expect(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestAValidEventIsApplied(t *testing.T) {
	events := NewTaskEvents(schema, nil)
	expect(t, events.Handle(body(cloudEvent(7, 1, "created", nil))), Success)
	expect(t, applied(events), []position{{7, 1}})
}

func TestADuplicateIsAcknowledgedAndAppliedOnce(t *testing.T) {
	events := NewTaskEvents(schema, nil)
	event := body(cloudEvent(7, 1, "created", nil))
	expect(t, events.Handle(event), Success)
	expect(t, events.Handle(event), Success)
	expect(t, applied(events), []position{{7, 1}})
}

func TestAnEarlyEventIsHeldUntilItsPredecessorIsIn(t *testing.T) {
	events := NewTaskEvents(schema, nil)
	expect(t, events.Handle(body(cloudEvent(7, 3, "completed", nil))), Success)
	expect(t, events.Handle(body(cloudEvent(7, 2, "updated", nil))), Success)
	expect(t, applied(events), []position{})
	expect(t, events.Snapshot().Held, 2)
	expect(t, events.Handle(body(cloudEvent(7, 1, "created", nil))), Success)
	expect(t, applied(events), []position{{7, 1}, {7, 2}, {7, 3}})
}

func TestAGapIsNeverSkipped(t *testing.T) {
	events := NewTaskEvents(schema, nil)
	events.Handle(body(cloudEvent(7, 1, "created", nil)))
	events.Handle(body(cloudEvent(7, 3, "completed", nil)))
	events.Handle(body(cloudEvent(8, 1, "created", nil)))
	expect(t, applied(events), []position{{7, 1}, {8, 1}})
	expect(t, events.Snapshot().Held, 1)
}

func TestPoisonIsDropped(t *testing.T) {
	cases := map[string][]byte{
		"not JSON":          []byte("{not json"),
		"no data":           []byte(`{"id": "1"}`),
		"eventId not uuid":  body(cloudEvent(7, 1, "created", func(d map[string]any) { d["eventId"] = "not-a-uuid" })),
		"bad timestamp":     body(cloudEvent(7, 1, "created", func(d map[string]any) { d["timestamp"] = "yesterday" })),
		"unknown eventType": body(cloudEvent(7, 1, "created", func(d map[string]any) { d["eventType"] = "archived" })),
		"taskId a string":   body(cloudEvent(7, 1, "created", func(d map[string]any) { d["taskId"] = "7" })),
		"bad date in task": body(cloudEvent(7, 1, "created", func(d map[string]any) {
			d["data"].(map[string]any)["task"].(map[string]any)["createdAt"] = "2026-13-45T99:00:00Z"
		})),
	}
	for name, poison := range cases {
		t.Run(name, func(t *testing.T) {
			events := NewTaskEvents(schema, nil)
			expect(t, events.Handle(poison), Drop)
			expect(t, applied(events), []position{})
		})
	}
}

func TestUnknownFieldsAndANewSourceAreAccepted(t *testing.T) {
	event := cloudEvent(7, 1, "created", func(d map[string]any) {
		d["tenantId"] = "acme"
		d["data"].(map[string]any)["task"].(map[string]any)["estimateMinutes"] = 30
		d["metadata"].(map[string]any)["source"] = "mobile"
	})
	event["partitionhint"] = "7"
	events := NewTaskEvents(schema, nil)
	expect(t, events.Handle(body(event)), Success)
	expect(t, applied(events), []position{{7, 1}})
}

func TestAFailedEffectIsRetriedAndThenApplied(t *testing.T) {
	failures := 1
	events := NewTaskEvents(schema, func(Event) error {
		if failures > 0 {
			failures--
			return errors.New("database down")
		}
		return nil
	})
	event := body(cloudEvent(7, 1, "created", nil))
	expect(t, events.Handle(event), Retry)
	expect(t, applied(events), []position{})
	expect(t, events.Handle(event), Success)
	expect(t, applied(events), []position{{7, 1}})
}

func TestAHeldEventWhoseEffectFailsStaysHeldAndIsAppliedOnRedelivery(t *testing.T) {
	failing := true
	events := NewTaskEvents(schema, func(e Event) error {
		if e.Sequence == 2 && failing {
			failing = false
			return errors.New("transient")
		}
		return nil
	})
	second := body(cloudEvent(7, 2, "updated", nil))
	expect(t, events.Handle(second), Success)
	expect(t, events.Handle(body(cloudEvent(7, 1, "created", nil))), Retry)
	expect(t, applied(events), []position{{7, 1}})
	expect(t, events.Handle(second), Success)
	expect(t, applied(events), []position{{7, 1}, {7, 2}})
}

func call(t *testing.T, method, url string, payload []byte, headers map[string]string) (int, []byte) {
	t.Helper()
	request, _ := http.NewRequest(method, url, bytes.NewReader(payload))
	for name, value := range headers {
		request.Header.Set(name, value)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	content, _ := io.ReadAll(response.Body)
	return response.StatusCode, content
}

func TestTheSidecarLearnsFourTopicsEachWithTheDeadLetterTopic(t *testing.T) {
	server := httptest.NewServer(NewHandler(NewTaskEvents(schema, nil), "taskstream-pubsub", ""))
	defer server.Close()
	status, content := call(t, "GET", server.URL+"/dapr/subscribe", nil, nil)
	expect(t, status, 200)
	var subscriptions []Subscription
	if err := json.Unmarshal(content, &subscriptions); err != nil {
		t.Fatal(err)
	}
	expect(t, len(subscriptions), 4)
	for i, s := range subscriptions {
		expect(t, s.Topic, Topics[i])
		expect(t, s.DeadLetterTopic, "task.deadletter")
		expect(t, s.PubsubName, "taskstream-pubsub")
		expect(t, s.Routes["default"], "/events/"+Topics[i])
	}
}

func TestADeliveryIsAnsweredWithTheDaprStatusAndShowsInReceived(t *testing.T) {
	server := httptest.NewServer(NewHandler(NewTaskEvents(schema, nil), "taskstream-pubsub", ""))
	defer server.Close()
	headers := map[string]string{"Content-Type": "application/cloudevents+json"}
	status, content := call(t, "POST", server.URL+"/events/task.created", body(cloudEvent(7, 1, "created", nil)), headers)
	expect(t, status, 200)
	expect(t, string(bytes.TrimSpace(content)), `{"status":"SUCCESS"}`)
	_, content = call(t, "POST", server.URL+"/events/task.created", []byte("{not json"), headers)
	expect(t, string(bytes.TrimSpace(content)), `{"status":"DROP"}`)
	status, content = call(t, "GET", server.URL+"/received", nil, nil)
	expect(t, status, 200)
	var received Received
	if err := json.Unmarshal(content, &received); err != nil {
		t.Fatal(err)
	}
	expect(t, len(received.Applied), 1)
	expect(t, received.Applied[0].TaskID, int64(7))
	expect(t, received.Dropped, 1)
}

func TestAnUnknownRouteIs404SoDaprDropsIt(t *testing.T) {
	server := httptest.NewServer(NewHandler(NewTaskEvents(schema, nil), "taskstream-pubsub", ""))
	defer server.Close()
	status, _ := call(t, "POST", server.URL+"/events/task.archived", body(cloudEvent(7, 1, "created", nil)), nil)
	expect(t, status, 404)
}

func TestWithAnAppTokenOnlyTheSidecarGetsIn(t *testing.T) {
	server := httptest.NewServer(NewHandler(NewTaskEvents(schema, nil), "taskstream-pubsub", "s3cret"))
	defer server.Close()
	status, _ := call(t, "GET", server.URL+"/dapr/subscribe", nil, nil)
	expect(t, status, 401)
	status, _ = call(t, "POST", server.URL+"/events/task.created", body(cloudEvent(7, 1, "created", nil)),
		map[string]string{"dapr-api-token": "wrong"})
	expect(t, status, 401)
	status, _ = call(t, "GET", server.URL+"/dapr/subscribe", nil, map[string]string{"dapr-api-token": "s3cret"})
	expect(t, status, 200)
	status, content := call(t, "POST", server.URL+"/events/task.created", body(cloudEvent(7, 1, "created", nil)),
		map[string]string{"dapr-api-token": "s3cret"})
	expect(t, status, 200)
	expect(t, string(bytes.TrimSpace(content)), `{"status":"SUCCESS"}`)
}

// ../testdata/task-events.json is generated from the Java producer (ProducerSamplesTests).
func TestEventsAsTheProducerWritesThemAreAppliedInOrderWhateverTheArrival(t *testing.T) {
	content, err := os.ReadFile("../testdata/task-events.json")
	if err != nil {
		t.Fatal(err)
	}
	var samples []json.RawMessage
	if err := json.Unmarshal(content, &samples); err != nil {
		t.Fatal(err)
	}
	expect(t, len(samples), 4)
	events := NewTaskEvents(schema, nil)
	deliveries := append(append([]json.RawMessage{}, samples...), samples...)
	for i := len(deliveries) - 1; i >= 0; i-- {
		expect(t, events.Handle(deliveries[i]), Success)
	}
	expect(t, applied(events), []position{{4201, 1}, {4201, 2}, {4201, 3}, {4201, 4}})
	expect(t, events.Snapshot().Dropped, 0)
}
