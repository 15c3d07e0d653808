package desk

import (
	"errors"
	"testing"

	"livedesk/internal/livedesk"
)

func TestMayRead(t *testing.T) {
	const me, other = livedesk.ID(1), livedesk.ID(2)
	opr := &livedesk.Operator{ID: me, Role: livedesk.RoleOperator}
	sup := &livedesk.Operator{ID: me, Role: livedesk.RoleSupervisor}
	adm := &livedesk.Operator{ID: me, Role: livedesk.RoleAdmin}
	open := func(assignee livedesk.ID) *livedesk.Conversation {
		return &livedesk.Conversation{State: livedesk.StateAssigned, AssigneeID: assignee}
	}
	closed := func(assignee livedesk.ID) *livedesk.Conversation {
		return &livedesk.Conversation{State: livedesk.StateClosed, AssigneeID: assignee}
	}
	offered := open(other)
	offered.PendingTransfer = &livedesk.Transfer{FromOperatorID: other, ToOperatorID: me}
	offeredElsewhere := open(other)
	offeredElsewhere.PendingTransfer = &livedesk.Transfer{FromOperatorID: other, ToOperatorID: 3}
	queued := &livedesk.Conversation{State: livedesk.StateQueued}
	tookPart := func(v bool) readAccess { return readAccess{tookPart: func() (bool, error) { return v, nil }} }
	cases := []struct {
		name string
		op   *livedesk.Operator
		c    *livedesk.Conversation
		more readAccess
		want bool
	}{
		{"own open", opr, open(me), tookPart(false), true},
		{"other's open", opr, open(other), tookPart(true), false}, // took part once, transferred away
		{"offered to me", opr, offered, tookPart(false), true},
		{"offered to a third", opr, offeredElsewhere, tookPart(false), false},
		{"queued", opr, queued, tookPart(false), false},
		{"closed, mine", opr, closed(me), tookPart(false), true},
		{"closed, took part", opr, closed(other), tookPart(true), true},
		{"closed, not mine", opr, closed(other), tookPart(false), false},
		{"supervisor, other's open", sup, open(other), tookPart(false), true},
		{"supervisor, queued", sup, queued, tookPart(false), true},
		{"admin, other's closed", adm, closed(other), tookPart(false), true},
	}
	for _, tc := range cases {
		got, err := mayRead(tc.op, tc.c, tc.more)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := mayRead(opr, closed(other), readAccess{tookPart: func() (bool, error) { return false, errors.New("db down") }}); err == nil {
		t.Error("a failed lookup was not reported")
	}
}
