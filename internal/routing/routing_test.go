package routing

import (
	"testing"
	"time"

	"livedesk/internal/livedesk"
)

func op(id int, status livedesk.Status, open, limit int, lastAssigned int) *livedesk.Operator {
	return &livedesk.Operator{ID: livedesk.ID(id), Name: "op", Status: status, OpenCount: open, Limit: limit,
		LastAssignedAt: time.Unix(int64(lastAssigned), 0)}
}

func TestPick(t *testing.T) {
	tests := []struct {
		name string
		ops  []*livedesk.Operator
		want livedesk.ID
	}{
		{"nobody", nil, 0},
		{"only paused", []*livedesk.Operator{op(1, livedesk.StatusPause, 0, 5, 0)}, 0},
		{"away and offline skipped", []*livedesk.Operator{op(1, livedesk.StatusAway, 0, 5, 0), op(2, livedesk.StatusOffline, 0, 5, 0)}, 0},
		{"at limit skipped", []*livedesk.Operator{op(1, livedesk.StatusAvailable, 3, 3, 0)}, 0},
		{"zero limit skipped", []*livedesk.Operator{op(1, livedesk.StatusAvailable, 0, 0, 0)}, 0},
		{"least load", []*livedesk.Operator{op(1, livedesk.StatusAvailable, 2, 5, 0), op(2, livedesk.StatusAvailable, 1, 5, 9)}, 2},
		{"load is a ratio", []*livedesk.Operator{op(1, livedesk.StatusAvailable, 1, 2, 0), op(2, livedesk.StatusAvailable, 2, 10, 9)}, 2},
		{"tie goes to longest idle", []*livedesk.Operator{op(1, livedesk.StatusAvailable, 1, 5, 50), op(2, livedesk.StatusAvailable, 1, 5, 10)}, 2},
		{"full tie goes to lower id", []*livedesk.Operator{op(3, livedesk.StatusAvailable, 1, 5, 10), op(2, livedesk.StatusAvailable, 1, 5, 10)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Pick(tt.ops)
			var id livedesk.ID
			if got != nil {
				id = got.ID
			}
			if id != tt.want {
				t.Fatalf("Pick = %d, want %d", id, tt.want)
			}
		})
	}
}

func TestCanOffer(t *testing.T) {
	tests := []struct {
		channel livedesk.Channel
		status  livedesk.Status
		open    int
		want    livedesk.Code
	}{
		{livedesk.ChannelWebchat, livedesk.StatusAvailable, 0, ""},
		{livedesk.ChannelWebchat, livedesk.StatusPause, 0, ""},
		{livedesk.ChannelWebchat, livedesk.StatusAway, 0, livedesk.CodeTargetUnavailable},
		{livedesk.ChannelWebchat, livedesk.StatusOffline, 0, livedesk.CodeTargetUnavailable},
		{livedesk.ChannelWebchat, livedesk.StatusAvailable, 2, livedesk.CodeLimitReached},
		{livedesk.ChannelEmail, livedesk.StatusAway, 0, ""},
		{livedesk.ChannelEmail, livedesk.StatusOffline, 1, ""},
		{livedesk.ChannelEmail, livedesk.StatusAvailable, 2, livedesk.CodeLimitReached},
	}
	for _, tt := range tests {
		err := CanOffer(tt.channel, op(1, tt.status, tt.open, 2, 0))
		got := livedesk.Code("")
		if err != nil {
			got = livedesk.ErrorCode(err)
		}
		if got != tt.want {
			t.Errorf("%s to %s with %d open: got %q, want %q", tt.channel, tt.status, tt.open, got, tt.want)
		}
	}
}
