package desk

import (
	"livedesk/internal/livedesk"
)

// repeatedSend looks up an operator's earlier message with the same client id. A client id
// names one write: the same send repeated (same conversation, same kind — reply or comment)
// returns the first message; nil, nil means the client id is new; a client id already used
// for another conversation or kind is client_id_reused, never the other message.
func repeatedSend(tx livedesk.Tx, opID livedesk.ID, clientID string, conversation livedesk.ID, comment bool) (*livedesk.Message, error) {
	if clientID == "" {
		return nil, nil
	}
	m, err := tx.MessageByClientID(livedesk.AuthorOperator, opID, clientID)
	if livedesk.IsCode(err, livedesk.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if m.ConversationID != conversation {
		return nil, livedesk.Errorf(livedesk.CodeClientIDReused, "client_id %q was already used in another conversation; send every new message with a new client_id", clientID)
	}
	if (m.Kind == livedesk.KindComment) != comment {
		what := "reply"
		if m.Kind == livedesk.KindComment {
			what = "comment"
		}
		return nil, livedesk.Errorf(livedesk.CodeClientIDReused, "client_id %q was already used for a %s; send every new message with a new client_id", clientID, what)
	}
	return m, nil
}
