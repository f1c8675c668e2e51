import { describe, expect, it } from 'vitest';
import { fieldErrors, fieldOf, nodeIssues, shortMessage } from './validation-issues.ts';

describe('validation issues', () => {
  it('puts a message on the config field it names', () => {
    expect(fieldOf("Node 'm' (action_chat_message): config field 'message' is required")).toBe('message');
    expect(fieldOf("config field 'rules[0].variable': 'a..b' is not a valid variable path")).toBe('rules');
    expect(fieldOf("config field 'transformations.total': unexpected token")).toBe('transformations');
    expect(fieldOf("Node 'x' has no node_type")).toBeNull();
  });

  it('groups a node’s messages by field for the form', () => {
    const { byField, general } = fieldErrors([
      "Node 'm' (action_chat_message): config field 'message' is required",
      "Node 'm' (action_chat_message): config field 'channel_id' is required when destination is 'specified_channel'",
      "Node 'm' (action_chat_message): something else",
    ]);
    expect(byField).toEqual({
      message: { __errors: ['this field is required'] },
      channel_id: { __errors: ["this field is required when destination is 'specified_channel'"] },
    });
    expect(general).toEqual(['something else']);
    expect(shortMessage("Node 'a': unknown node type 'zzz'")).toBe("unknown node type 'zzz'");
  });

  it('reads a node’s messages from the validation result', () => {
    const result = {
      is_valid: false,
      errors: ['x'],
      warnings: [],
      node_validation_errors: { m: ['a', 'b'] },
      error_count: 2,
      warning_count: 0,
    };
    expect(nodeIssues(result, 'm')).toEqual(['a', 'b']);
    expect(nodeIssues(result, 'other')).toEqual([]);
    expect(nodeIssues(null, 'm')).toEqual([]);
  });
});
